// Layout checks run inside the browser (page.evaluate(layoutProblems)): measured, not eyeballed.
// Each problem names what overflows or collides:
// - SVG text outside its picture's viewBox (a label cut at the edge), text under the white gap
//   of a broken axis (rect.axis-break, drawn over the panel), and pairs of SVG labels whose
//   boxes overlap;
// - HTML text wider than its box (scrollWidth > clientWidth) or pushing the page wider than
//   the window, outside containers meant to scroll;
// - a number cell that wraps, and a hex address, SEAMCALL/step name or number-with-unit split
//   over two lines.
// Plain JavaScript in a string, evaluated in the page as it is: no transpiler helper can leak in.

export interface LayoutProblem {
  kind: 'svg-text-outside' | 'svg-text-overlap' | 'svg-text-cut' | 'html-overflow' | 'page-overflow' | 'number-wraps' | 'token-split';
  what: string;
}

/** `await page.evaluate(LAYOUT_PROBLEMS)` returns LayoutProblem[]. */
export const LAYOUT_PROBLEMS = `(function layoutProblems() {
  const out = [];
  const label = (el) => \`\${el.tagName.toLowerCase()}\${el.getAttribute('class') ? \`.\${el.getAttribute('class').replace(/ /g, '.')}\` : ''} "\${(el.textContent ?? '').trim().slice(0, 60)}"\`;
  const scrolls = (el) => !!el.closest('.scroll, details:not([open])');

  for (const svg of Array.from(document.querySelectorAll('svg'))) {
    const vb = svg.viewBox.baseVal;
    const texts = Array.from(svg.querySelectorAll('text')) ;
    const boxes = texts.map((t) => t.getBBox());
    boxes.forEach((b, i) => {
      if (b.width === 0) return;
      if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y < vb.y - 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
        out.push({ kind: 'svg-text-outside', what: \`\${label(texts[i])} at x \${b.x.toFixed(1)}..\${(b.x + b.width).toFixed(1)}, y \${b.y.toFixed(1)}..\${(b.y + b.height).toFixed(1)} outside viewBox \${vb.width}×\${vb.height}\` });
      }
    });
    for (const gap of Array.from(svg.querySelectorAll('rect.axis-break'))) {
      const g = gap.getBBox();
      boxes.forEach((b, i) => {
        if (b.width > 0 && b.x < g.x + g.width && g.x < b.x + b.width && b.y < g.y + g.height && g.y < b.y + b.height) {
          out.push({ kind: 'svg-text-cut', what: \`\${label(texts[i])} runs under the broken axis's gap at x \${g.x.toFixed(1)}..\${(g.x + g.width).toFixed(1)}\` });
        }
      });
    }
    // Glyph boxes include the font's line gap: two lines 2 units apart do not overlap in ink.
    const inset = (b) => [b.x + 0.5, b.y + b.height * 0.2, b.x + b.width - 0.5, b.y + b.height * 0.85];
    for (let i = 0; i < boxes.length; i++) {
      if (boxes[i].width === 0) continue;
      const [ax0, ay0, ax1, ay1] = inset(boxes[i]);
      for (let j = i + 1; j < boxes.length; j++) {
        if (boxes[j].width === 0) continue;
        const [bx0, by0, bx1, by1] = inset(boxes[j]);
        if (ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1) {
          out.push({ kind: 'svg-text-overlap', what: \`\${label(texts[i])} overlaps \${label(texts[j])}\` });
        }
      }
    }
  }

  const win = document.documentElement.clientWidth;
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    if (el.closest('svg') || scrolls(el)) continue;
    const h = el;
    if (h.offsetParent === null && getComputedStyle(h).position !== 'fixed') continue;
    if (h.scrollWidth > h.clientWidth + 1 && h.clientWidth > 0 && getComputedStyle(h).overflowX === 'visible') {
      out.push({ kind: 'html-overflow', what: \`\${label(h)}: content \${h.scrollWidth}px in a \${h.clientWidth}px box\` });
    }
    const r = h.getBoundingClientRect();
    if (r.right > win + 1) out.push({ kind: 'page-overflow', what: \`\${label(h)} ends at \${Math.round(r.right)}px, window \${win}px\` });
  }

  const lines = (range) => new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  for (const td of Array.from(document.querySelectorAll('td.num, th.num'))) {
    if (scrolls(td) && td.closest('details:not([open])')) continue;
    const range = document.createRange();
    range.selectNodeContents(td);
    if (lines(range) > 1) out.push({ kind: 'number-wraps', what: label(td) });
  }
  // Tokens that must stay whole: hex addresses, SEAMCALL/step names, numbers with their unit.
  const TOKEN = /0x[0-9a-fA-F]+|TDH\.[A-Z.]+|[0-9][0-9.,]*\s?(?:µs|ms|s|KB|KiB|MiB|GiB|TiB)\b/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || parent.closest('svg, title, details:not([open])')) continue;
    for (const m of (n.textContent ?? '').matchAll(TOKEN)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      if (lines(range) > 1) out.push({ kind: 'token-split', what: \`"\${m[0]}" in \${label(parent)}\` });
    }
  }
  return out;
})()`;
