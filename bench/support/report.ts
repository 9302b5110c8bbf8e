// What every load benchmark's report shares: the command line, the machine, the load average, Markdown tables, the results file.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Reads `--name value` from the command line. */
export function readOption(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}

/** The 1-minute load average, one decimal. */
export const loadNow = (): string => (loadavg()[0] ?? 0).toFixed(1);

export function machineLine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.versions.node}`;
}

export function markdownTable(
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const align = head.map((_, index) => (index === 0 ? '---' : '---:'));
  return [head, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** Writes bench/results/<name>.md. */
export function writeResults(name: string, markdown: string): void {
  writeFileSync(fileURLToPath(new URL(`../results/${name}.md`, import.meta.url)), markdown);
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What could not be measured (a store that does not answer), printed as it happens and listed at the report's end. */
export function createSkipList(): { add(what: string, error: unknown): void; markdown(): string } {
  const lines: string[] = [];
  return {
    add(what, error) {
      lines.push(`${what}: ${errorText(error)}`);
      console.error(`skipped ${what}: ${errorText(error)}`);
    },
    markdown: () => (lines.length ? `\nNot measured:\n${lines.map((line) => `- ${line}`).join('\n')}\n` : ''),
  };
}
