// Layout checks of rendered HTML in headless Chromium, at a desktop and a narrow width.
// Usage: node layout.mjs FILE.html...   (CHROMIUM=/path/to/chromium to override the browser)
// Reports as JSON on stdout, per file and width:
//   overflow: elements whose box extends past their parent's (or the page's) right edge, outside
//             the scrollable table wrappers that exist to hold wide tables on narrow screens;
//   wideTables: tables wider than the page's content column (at the desktop width they must fit);
//   brokenWords: words of a table header or label cell laid out on more than one line;
//   pageScroll: the page scrolls sideways (it must not);
//   counts: how many tables, header cells and charts were checked (so an empty check is visible).
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const WIDTHS = [1280, 720];
const files = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const report = {};
try {
  for (const file of files) {
    report[file] = {};
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.route("**/*", (route) => (route.request().url().startsWith("file:") || route.request().url().startsWith("data:")
        ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      // Open every collapsed table, so the appendix is laid out and checked too.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      report[file][width] = await page.evaluate((desktop) => {
        const out = { overflow: [], wideTables: [], brokenWords: [], pageScroll: false,
                      counts: { tables: 0, headerCells: 0, charts: 0 } };
        const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${
          el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""}`;
        const inScroller = (el) => !!el.closest(".table-wrap, pre");
        const main = document.querySelector("main") || document.body;
        const column = main.getBoundingClientRect();
        out.pageScroll = document.documentElement.scrollWidth > window.innerWidth + 1;
        for (const el of document.querySelectorAll("body *")) {
          if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
          const parent = el.parentElement;
          if (!parent || inScroller(el)) continue;
          const r = el.getBoundingClientRect();
          const p = parent.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          const style = getComputedStyle(parent);
          if (style.overflowX !== "visible") continue;
          if (r.right > p.right + 1 && r.right > column.right + 1) {
            out.overflow.push(`${describe(el)} in ${describe(parent)}: right ${r.right.toFixed(0)} > ${p.right.toFixed(0)}`);
          }
        }
        for (const t of document.querySelectorAll("table")) {
          out.counts.tables += 1;
          const r = t.getBoundingClientRect();
          if (desktop && r.width > column.width + 1) out.wideTables.push(`${describe(t)}: ${r.width.toFixed(0)} > ${column.width.toFixed(0)}`);
        }
        out.counts.charts = document.querySelectorAll("figure svg").length;
        // A word broken inside a label: its characters lie on two lines (two client rects).
        const cells = document.querySelectorAll("thead th, tbody th, td.label");
        for (const cell of cells) {
          out.counts.headerCells += 1;
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent;
            const re = /\S+/g;
            for (let m = re.exec(text); m; m = re.exec(text)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const lines = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
              if (lines.size > 1) out.brokenWords.push(`${m[0]} in ${describe(cell.closest("table") || cell)}`);
            }
          }
        }
        return out;
      }, width === WIDTHS[0]);
      await page.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
