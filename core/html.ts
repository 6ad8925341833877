/**
 * Text for HTML built as a string (notification emails, the board's cards): the five characters that
 * could end a text node or a quoted attribute value.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
