/**
 * Central finite difference of a float64 function, with Richardson extrapolation (error O(h^4)).
 * `h` defaults to a step relative to |x|.
 */
export function derivative64(f: (x: number) => number, x: number, h?: number): number {
  const step = h ?? 1e-3 * Math.max(Math.abs(x), 1e-3);
  const d1 = (f(x + step) - f(x - step)) / (2 * step);
  const d2 = (f(x + step / 2) - f(x - step / 2)) / step;
  return (4 * d2 - d1) / 3;
}

/** Gradient of a float64 function of several variables by central differences with extrapolation. */
export function gradient64(f: (x: number[]) => number, x: number[], h?: number): number[] {
  return x.map((xi, i) =>
    derivative64(
      (t) => {
        const y = x.slice();
        y[i] = t;
        return f(y);
      },
      xi,
      h,
    ),
  );
}
