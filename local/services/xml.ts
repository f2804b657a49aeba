/** The little XML the gateway writes itself (query-protocol answers, S3 bucket subresources). */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<name>` around already-rendered children, or around an escaped text value. */
export function element(name: string, content: string | number | boolean | undefined | readonly string[]): string {
  if (content === undefined) return '';
  const inner = Array.isArray(content) ? content.join('') : escapeXml(String(content));
  return `<${name}>${inner}</${name}>`;
}
