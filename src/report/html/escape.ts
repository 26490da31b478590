// Every string that reaches the report from outside the code (platform names, step details,
// log lines, parameter sources, error messages) goes through here. The same escaping is safe
// in element content, in double- or single-quoted attributes, and inside inline SVG (which the
// HTML parser reads, so <title> and <text> are ordinary escapable text).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Escape for HTML text and quoted attribute values. C0 control characters other than tab,
 * newline and carriage return, and lone surrogates, are replaced: they are parse errors in
 * HTML and would make the document ill-formed as XML for anyone who extracts an SVG.
 */
export function esc(value: unknown): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

/** Already-escaped markup; the type keeps raw input strings from being concatenated in by mistake. */
export interface Html {
  readonly __html: string;
}

export const raw = (s: string): Html => ({ __html: s });

/**
 * A template tag: interpolated strings and numbers are escaped, Html values and arrays of
 * them are inserted as they are. Building markup only through this makes "forgot to escape"
 * a type error rather than an injection.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1];
  return raw(out);
}

function part(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(part).join('');
  if (typeof v === 'object' && '__html' in (v as object)) return (v as Html).__html;
  return esc(v);
}

/** Join fragments into one. */
export const join = (parts: (Html | null | undefined | false)[], sep = ''): Html =>
  raw(parts.filter((p): p is Html => !!p).map((p) => p.__html).join(sep));

/** An id or class fragment derived from input: only [a-z0-9-] survives. */
export function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}
