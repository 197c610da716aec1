// Types for bench/gen-authorities.mjs (plain JavaScript so Node 20 runs it without a build).
export interface GenerateOptions {
  outDir: string;
  authorities: number;
  cycles: number;
  seed?: number;
  /** A parsed question bank (default: the built-in reflective-tool bank). */
  bank?: unknown;
}
export function generateAuthorities(options: GenerateOptions): { files: number; bytes: number; dirs: number };
export function loadBuiltinBank(): unknown;
export function answerableItems(bank: unknown): { id: string; kind: string; text: string; stage: string }[];
export function authorityName(index: number): string;
export function cycleIds(count: number): string[];
