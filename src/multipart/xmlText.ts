/**
 * Escapes text for XML character data (XML 1.0 §2.4: `&` and `<` must be escaped, `>` is escaped too so `]]>`
 * never appears; quotes so the same text is also safe in attribute values).
 */
const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

export function escapeXmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
