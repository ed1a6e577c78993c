/** Milliseconds per call of `fn`, over at least `minMs` after a warm-up of `warmup` calls. */
export function msPerCall(fn: () => void, minMs = 300, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  let reps = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    reps++;
  }
  return (performance.now() - start) / reps;
}
