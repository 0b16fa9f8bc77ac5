/** @module Escaping for text placed in HTML (and inline SVG): element content and quoted attribute values alike. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `& < > " '` as entities; other characters (unicode too) as they are. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}
