// Drives a running `cardwright serve` preview in headless Chromium: edits the card and its data on
// disk and waits, event-driven, for the page to show each change.  Reports JSON on stdout.
// Usage: node serve.mjs URL CARD_FILE DATA_FILE
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [url, cardFile, dataFile] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const out = {};
const WAIT = { timeout: 120000, polling: 100 };
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  out.first = await page.title();
  const original = readFileSync(cardFile, "utf8");
  // 1. A save that changes the card: the page reloads with the new name.
  writeFileSync(cardFile, original.replace("name: Fernhill personal-loan pre-screening model", "name: Fernhill live preview model"));
  await page.waitForFunction(() => document.title.startsWith("Fernhill live preview model"), null, WAIT);
  out.renamed = await page.title();
  // 2. A save that breaks the card: the findings show in the page.
  writeFileSync(cardFile, original.replace("status: approved", "status: maybe"));
  await page.waitForFunction(() => !!document.querySelector("#cardwright-findings"), null, WAIT);
  out.findings = await page.textContent("#cardwright-findings");
  // 3. The card fixed again: the panel goes.
  writeFileSync(cardFile, original);
  await page.waitForFunction(() => !document.querySelector("#cardwright-findings") && document.title.startsWith("Fernhill personal-loan"), null, WAIT);
  out.fixed = await page.title();
  // 4. New data: the results are computed again and the page shows the new numbers.
  const lines = readFileSync(dataFile, "utf8").split("\n");
  writeFileSync(dataFile, lines.slice(0, 4001).join("\n") + "\n");
  await page.waitForFunction(() => document.body.textContent.includes("4,000 evaluation rows"), null, WAIT);
  out.recomputed = (await page.textContent(".verdict")).trim();
  await page.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");
