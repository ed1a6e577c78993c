import { ProgressBar, formatDuration } from './progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, s: { isTTY, write: (c: string) => chunks.push(c) > 0 } };
}

describe('ProgressBar', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect([formatDuration(0), formatDuration(59.6), formatDuration(61), formatDuration(3725), formatDuration(NaN)]).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '1:02:05',
      '?',
    ]);
  });

  it('shows elapsed time and time left, redrawn in place on a terminal', () => {
    let now = 0;
    const { chunks, s } = stream(true);
    const bar = new ProgressBar('epoch 1/2', 10, s, { now: () => now });
    now = 20000;
    bar.update(4, { loss: '1.00' });
    // 4 of 10 steps in 20 s: 30 s left at the same pace.
    expect(chunks[0]).toBe('\repoch 1/2 [=========>              ]  4/10  0:20 elapsed, 0:30 left  loss 1.00\x1b[K');
    now = 50000;
    bar.done({ loss: '0.50' });
    expect(chunks[1]).toBe(`\repoch 1/2 [${'='.repeat(24)}] 10/10  0:50  loss 0.50\x1b[K\n`);
  });

  it('prints a plain line every interval on a pipe, with no control codes', () => {
    let now = 0;
    const { chunks, s } = stream(false);
    const bar = new ProgressBar('eval', 100, s, { now: () => now, pipeInterval: 10 });
    for (let step = 1; step < 100; step++) {
      now = step * 1000; // one step a second: a line every 10 steps
      bar.update(step);
    }
    bar.done();
    expect(chunks).toHaveLength(10);
    expect(chunks[0]).toBe('eval [=>                      ]  10/100  0:10 elapsed, 1:30 left\n');
    expect(chunks.join('').includes('\r') || chunks.join('').includes('\x1b')).toBe(false);
    expect(chunks[9].endsWith('100/100  1:39\n')).toBe(true);
  });
});
