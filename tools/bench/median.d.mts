// Types of median.mjs for the TypeScript benchmarks (timing.ts).
export declare function median(values: number[]): number;
export declare function medianOfEach(perRound: Record<string, number[]>): Record<string, number>;
