// Browser flows of the analysts' work: the cohort explorer's "within N years" control, a
// 金导师 cohort with the teachers' measures, every chart legend line visible, the comparison
// downloaded as one workbook, a future as-of computed as today with a note, the teachers'
// trajectories page, and the annual report's print view printed to a PDF. t carries the
// helpers of e2e.mjs.
import fs from "node:fs";
import path from "node:path";
import { codesIn } from "./codes.mjs";

export async function analysts(t) {
  const { BASE, SHOTS, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean } = t;
  const page = await newPage(DESKTOP);
  await signIn(page, env("ANALYST"));
  const drawn = (n) => page.waitForFunction((k) => document.querySelectorAll(".chart[data-rendered=true] canvas").length >= k,
    n, { timeout: 20000 });
  const noCodes = async (where) => {
    const codes = await codesIn(page);
    expect(codes.length === 0, `${where} shows codes: ${codes.join(", ")}`);
  };

  // six jingke cohorts within 2 years: a row per cohort with count and %, legends unpaged
  await page.goto(BASE + "/cohorts");
  const jingke = page.locator('fieldset.editions input[value^="jingke-"]');
  const n = Math.min(await jingke.count(), 7);
  for (let i = 0; i < n; i++) await jingke.nth(i).check();
  await page.locator("#within").fill("2");
  await Promise.all([page.waitForURL(/within=2/), page.locator("form.filters button[type=submit]").click()]);
  await drawn(3);
  const rows = await page.locator("#h-within ~ .table-wrap tbody tr").count();
  expect(rows === n, `within table: ${rows} rows for ${n} cohorts`);
  expect((await page.locator("#h-within").textContent()).includes("2 年内"), "the heading names N");
  expect((await page.locator("#h-within ~ .table-wrap tbody tr").first().textContent()).includes("%"), "a share in %");
  const legends = await page.evaluate(() => [...document.querySelectorAll(".chart[data-rendered=true]")].map((el) => {
    const o = window.echarts.getInstanceByDom(el).getOption();
    return { type: o.legend[0].type, show: o.legend[0].show !== false, series: o.series.length };
  }));
  for (const l of legends) {
    expect(l.series < 2 || (l.type === "plain" && l.show), "a legend pages its lines: " + JSON.stringify(l));
  }
  await noCodes("cohorts within N");
  await shot(page, "cohorts-within-desktop");
  clean(page, "cohorts within N");
  ok(`cohort explorer within 2 years: ${rows} cohorts, ${legends.length} charts with every legend line`);

  // a 金导师 cohort: the teachers' measures instead of the students'
  await page.locator("fieldset.editions input:checked").evaluateAll((els) => els.forEach((e) => { e.checked = false; }));
  const teachersBox = page.locator('fieldset.editions input[value^="jindaoshi-"]').first();
  const teacherEdition = await teachersBox.getAttribute("value");
  await teachersBox.check();
  await Promise.all([page.waitForURL(/edition=jindaoshi-/), page.locator("form.filters button[type=submit]").click()]);
  const teach = page.locator("#h-teachers").locator("xpath=..");
  expect((await teach.textContent()).includes("仍从事科学教育"), "teachers' measures for " + teacherEdition);
  expect(await page.locator("#h-within").count() === 0, "no students' measures for a teachers' cohort");
  await noCodes("cohorts 金导师");
  await shot(page, "cohorts-teachers-desktop");
  clean(page, "cohorts 金导师");
  ok("金导师 cohort shown with the teachers' measures");

  // several cohorts as one workbook
  await page.goto(BASE + "/cohorts?edition=jingke-2022&edition=jingke-2023&edition=" + teacherEdition + "&within=3");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a.workbook").click()]);
  const file = path.join(SHOTS, "download-" + download.suggestedFilename());
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 2).toString() === "PK" && fs.statSync(file).size > 3000,
    "the comparison workbook is an XLSX");
  expect(/^cohorts-\d{4}-\d{2}-\d{2}\.xlsx$/.test(download.suggestedFilename()), "file " + download.suggestedFilename());
  clean(page, "comparison workbook");
  ok("comparison downloaded as one workbook: " + download.suggestedFilename());

  // a future as-of is computed as today, and says so
  await page.goto(BASE + "/cohorts?edition=jingke-2023&as_of=2099-12-31");
  expect(await page.locator("#as-of-note").isVisible(), "a note for the future as-of");
  expect((await page.locator("#as_of").inputValue()) !== "2099-12-31", "the as-of is today");
  clean(page, "future as-of");
  ok("a future as-of is today, with a note");

  // the teachers' trajectories page
  await page.goto(BASE + "/cohorts/teachers?within=3");
  await drawn(1);
  expect(await page.locator("table.teachers tbody tr").count() >= 1, "the trajectories table");
  await noCodes("teachers' trajectories");
  await shot(page, "teachers-desktop");
  clean(page, "teachers' trajectories");
  ok("teachers' trajectories page");

  // the annual report's print view: no navigation in print, a section a page, a PDF
  await page.goto(BASE + "/reports");
  await Promise.all([page.waitForURL(/\/reports\/print/), page.locator("a.print-link").click()]);
  const sections = await page.locator(".print-section").count();
  expect(sections === 4, "print view sections: " + sections);
  await noCodes("print view");
  await shot(page, "reports-print-desktop");
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => ({
    nav: getComputedStyle(document.querySelector("header.top")).display,
    breaks: [...document.querySelectorAll(".print-section")].slice(1).map((s) => getComputedStyle(s).breakBefore),
  }));
  expect(printed.nav === "none", "no navigation in print");
  expect(printed.breaks.every((b) => b === "page"), "a page break before each section: " + printed.breaks);
  const pdf = path.join(SHOTS, "annual-report.pdf");
  await page.pdf({ path: pdf, format: "A4", printBackground: false });
  expect(fs.statSync(pdf).size > 10000, "the PDF has pages");
  await page.emulateMedia({ media: "screen" });
  clean(page, "print view");
  ok(`print view: ${sections} sections, no navigation in print, PDF written`);

  // the same pages at 375 px
  await page.setViewportSize(PHONE);
  for (const [url, name, charts] of [
    ["/cohorts?edition=jingke-2022&edition=jingke-2023&within=2", "cohorts-within-phone", 3],
    ["/cohorts?edition=" + teacherEdition, "cohorts-teachers-phone", 0],
    ["/cohorts/teachers", "teachers-phone", 1],
    ["/reports/print", "reports-print-phone", 0]]) {
    await page.goto(BASE + url);
    if (charts) await drawn(charts);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `${url} is wider than the phone by ${overflow}px`);
    await shot(page, name);
  }
  clean(page, "analysts' pages at 375 px");
  ok("analysts' pages at 375 px");
  await page.context().close();
}
