/**
 * Hands text to the browser as a file download: a Blob behind an `<a download>`. The same click works in
 * the web host's browser and in Electron (which shows its save dialog). The CSV texts from the backend
 * already start with a BOM, so spreadsheets read their accents as UTF-8.
 */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: some browsers start reading the Blob only after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
