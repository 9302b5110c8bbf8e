// Builds CSV text (RFC 4180 quoting, formula-injection guard) and offers it as a download.

/**
 * Spreadsheet apps run cells starting with these as formulas; a leading quote keeps them text. The
 * OWASP CSV-injection list (= + - @ tab, carriage return) and the NUL that ASVS 5.0 (1.2.10) adds.
 */
const formulaStart = /^[=+\-@\t\r\u0000]/;

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows
    .map((row) =>
      row
        .map((cell) => {
          let text = String(cell);
          if (typeof cell === 'string' && formulaStart.test(text)) text = `'${text}`;
          return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
        })
        .join(','),
    )
    .join('\r\n');
}

export function downloadCsv(filename: string, rows: readonly (readonly (string | number)[])[]): void {
  const blob = new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
