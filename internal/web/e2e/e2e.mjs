// Browser end-to-end test of the talentdb web app in headless Chromium (playwright-core
// driving the system's Chromium). Started by e2e_test.go, which serves the app on a seeded
// database and passes, in the environment:
//   BASE_URL         http://localhost:PORT
//   OPERATOR, ANALYST, ADMIN, AUDITOR   usernames; PASSWORD their common password
//   OTHER_PERSON     a person of another school than OPERATOR's
//   MENTOR, MENTOR_PARTICIPANT   a mentor and one of their participants with a growth log
//   CITY, OTHER_CITY_SCHOOL      the coordinator of OPERATOR's city, a school of another city
//   SCREENSHOT_DIR   where to write the screenshots (desktop 1366 px and phone 375 px)
//   CHROMIUM         the browser binary
// Every failed expectation throws; the process then exits non-zero and the Go test fails.
// Each step prints one line "ok <step>" so the Go test can show how far it got.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { codesIn } from "./codes.mjs";
import { workflows } from "./workflows.mjs";
import { corrections } from "./corrections.mjs";
import { city } from "./city.mjs";
import { analysts } from "./analysts.mjs";
import { school } from "./school.mjs";
import { selfreport } from "./selfreport.mjs";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`missing ${k}`);
  return v;
};
const BASE = env("BASE_URL");
const PASSWORD = env("PASSWORD");
const SHOTS = env("SCREENSHOT_DIR");
fs.mkdirSync(SHOTS, { recursive: true });

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 375, height: 740 };

function expect(cond, msg) {
  if (!cond) throw new Error("expectation failed: " + msg);
}
function ok(step) {
  console.log("ok " + step);
}

const browser = await chromium.launch({
  executablePath: env("CHROMIUM"),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

// newPage opens a page that records console errors, page errors and CSP violations.
async function newPage(viewport) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: "zh-CN" });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") page.problems.push("console: " + m.text() + " (" + (m.location().url || page.url()) + ")");
  });
  page.on("pageerror", (e) => page.problems.push("page error: " + e.message));
  page.on("response", (r) => {
    // a failed asset load is a problem; a 404 page we asked for is not
    if (r.status() >= 400 && r.url().includes("/static/")) page.problems.push(`asset ${r.status()} ${r.url()}`);
  });
  return page;
}

function clean(page, where, expected) {
  // a 404 or 422 page we ask for on purpose is logged by Chromium as a failed resource load
  const real = page.problems.filter((p) => !(expected && expected.test(p)));
  expect(real.length === 0, `${where}: ${real.join("; ")}`);
  page.problems.length = 0;
}

// shot saves a full-page screenshot — and, as every page of every role is photographed at
// least once, reads it for internal codes first.
async function shot(page, name) {
  const codes = await codesIn(page);
  expect(codes.length === 0, `${name} (${page.url()}) shows internal codes: ${codes.join(", ")}`);
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

// signIn uses the keyboard only: the sign-in form must work without a mouse.
async function signIn(page, user) {
  await page.goto(BASE + "/login");
  await page.locator("#username").focus();
  await page.keyboard.type(user);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.keyboard.press("Enter")]);
}

async function dueCount(page) {
  return Number(await page.locator("#due-count").textContent());
}

try {
  // --- a school operator records a follow-up; the due list shrinks
  {
    const page = await newPage(DESKTOP);
    await page.goto(BASE + "/login");
    await shot(page, "login-desktop");
    await signIn(page, env("OPERATOR"));
    expect(new URL(page.url()).pathname === "/school", "operator lands on /school, got " + page.url());
    const before = await dueCount(page);
    expect(before >= 1, "someone is due");
    await shot(page, "school-desktop");
    const item = page.locator("li.due-item").first();
    const itemId = await item.getAttribute("id");
    await item.locator("summary").click();
    const form = item.locator("form.quick-form").first();
    await form.locator("select[name=channel]").selectOption("wechat");
    await form.locator("select[name=outcome]").selectOption("reached");
    await form.locator("input[name=notes]").fill("e2e：微信回访");
    await Promise.all([page.waitForURL(/done=follow_up/), form.locator("button[type=submit]").click()]);
    expect((await page.locator(".flash").textContent()).includes("已记录联系"), "confirmation shown");
    const after = await dueCount(page);
    expect(after === before - 1, `due count ${before} → ${after}`);
    expect((await page.locator("#" + itemId).count()) === 0, "the contacted person left the list");
    clean(page, "school page");
    ok("operator recorded a follow-up; due list " + before + " → " + after);

    // a bad date is shown next to its field
    const item2 = page.locator("li.due-item").first();
    if ((await item2.count()) > 0) {
      await item2.locator("summary").click();
      const f2 = item2.locator("form.quick-form").first();
      await f2.locator("input[name=contacted_on]").evaluate((el) => { el.removeAttribute("max"); el.value = "2099-01-01"; });
      await f2.locator("button[type=submit]").click();
      await page.waitForSelector(".field-error");
      const err = await page.locator(".field-error").first().textContent();
      expect(err.includes("不能晚于今天"), "date error next to the field: " + err);
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.name);
      expect(focused === "contacted_on", "focus moves to the invalid field, got " + focused);
      clean(page, "bad date", /status of 422/);
      ok("a bad date is shown next to its field");
    }

    // the person page and its timeline
    await page.goto(BASE + "/school");
    const link = page.locator("#h-nominees ~ .table-wrap a, li.due-item a.name").first();
    await Promise.all([page.waitForURL(/\/persons\/\d+/), link.click()]);
    expect((await page.locator("ol.timeline li").count()) >= 1, "timeline has events");
    await shot(page, "person-desktop");
    clean(page, "person page");
    ok("person page");

    // another school's person does not exist for this operator
    const res = await page.goto(BASE + "/persons/" + env("OTHER_PERSON"));
    expect(res.status() === 404, "other school's person: status " + res.status());
    expect((await page.content()).includes("页面不存在"), "404 page text");
    clean(page, "404 page", /status of 404/);
    ok("another school's person is 404");

    await page.goto(BASE + "/imports");
    await shot(page, "imports-desktop");
    clean(page, "imports page");

    // the same pages on a phone
    await page.setViewportSize(PHONE);
    for (const [url, name] of [["/school", "school-phone"], ["/imports", "imports-phone"]]) {
      await page.goto(BASE + url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `${url} is wider than the phone by ${overflow}px`);
      await shot(page, name);
    }
    await page.goto(BASE + "/school");
    await Promise.all([page.waitForURL(/\/persons\/\d+/), page.locator("li.due-item a.name, table a").first().click()]);
    await shot(page, "person-phone");
    clean(page, "phone pages");
    ok("operator pages at 375 px");
    await page.context().close();
  }

  // --- an analyst sees the dashboard's charts and downloads an XLSX
  {
    const page = await newPage(DESKTOP);
    await signIn(page, env("ANALYST"));
    expect(new URL(page.url()).pathname === "/dashboard", "analyst lands on /dashboard, got " + page.url());
    const charts = await page.locator(".chart").count();
    expect(charts >= 6, "dashboard has its charts: " + charts);
    await page.waitForFunction((n) => document.querySelectorAll(".chart[data-rendered=true] canvas").length >= n, charts,
      { timeout: 20000 });
    await shot(page, "dashboard-desktop");
    clean(page, "dashboard");
    ok(`dashboard: ${charts} charts drawn on canvas, no console errors`);

    await page.goto(BASE + "/cohorts");
    await page.waitForFunction(() => document.querySelectorAll(".chart[data-rendered=true] canvas").length >= 3, null,
      { timeout: 20000 });
    await shot(page, "cohorts-desktop");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a.xlsx").first().click()]);
    const file = path.join(SHOTS, "download-" + download.suggestedFilename());
    await download.saveAs(file);
    const head = fs.readFileSync(file).subarray(0, 2).toString();
    expect(head === "PK" && fs.statSync(file).size > 1000, "the XLSX is a zip of some size");
    expect(download.suggestedFilename().endsWith(".xlsx"), "file name " + download.suggestedFilename());
    clean(page, "cohorts");
    ok("cohort explorer; downloaded " + download.suggestedFilename());

    await page.goto(BASE + "/reports");
    await shot(page, "reports-desktop");
    await page.goto(BASE + "/dashboard?lang=en");
    expect((await page.locator("h1").textContent()).includes("Programme dashboard"), "English switch");
    await page.waitForFunction(() => document.querySelectorAll(".chart[data-rendered=true] canvas").length >= 6, null,
      { timeout: 20000 });
    await shot(page, "dashboard-desktop-en");
    await page.goto(BASE + "/dashboard?lang=zh");

    await page.setViewportSize(PHONE);
    for (const [url, name] of [["/dashboard", "dashboard-phone"], ["/cohorts", "cohorts-phone"], ["/reports", "reports-phone"]]) {
      await page.goto(BASE + url);
      if (url !== "/reports") {
        await page.waitForFunction(() => document.querySelectorAll(".chart[data-rendered=true] canvas").length >= 1, null,
          { timeout: 20000 });
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `${url} is wider than the phone by ${overflow}px`);
      await shot(page, name);
    }
    clean(page, "analyst pages");
    ok("analyst pages at 375 px, English switch");
    await page.context().close();
  }

  // --- administration pages, for the reviewer's eyes
  {
    const page = await newPage(DESKTOP);
    await signIn(page, env("ADMIN"));
    await page.goto(BASE + "/admin/users");
    await shot(page, "users-desktop");
    await page.goto(BASE + "/account/tokens");
    await shot(page, "tokens-desktop");
    clean(page, "admin pages");
    await page.context().close();
    const aud = await newPage(DESKTOP);
    await signIn(aud, env("AUDITOR"));
    expect(new URL(aud.url()).pathname === "/admin/audit", "auditor lands on the audit log");
    await shot(aud, "audit-desktop");
    expect(/共 \d+ 条/.test(await aud.locator("#audit-total").textContent()), "the audit log shows its total");
    const [auditXlsx] = await Promise.all([aud.waitForEvent("download"), aud.locator("#audit-export").click()]);
    await auditXlsx.saveAs(path.join(SHOTS, "download-" + auditXlsx.suggestedFilename()));
    expect(auditXlsx.suggestedFilename().endsWith(".xlsx"), "audit export file name " + auditXlsx.suggestedFilename());
    await aud.setViewportSize(PHONE);
    await aud.reload();
    await shot(aud, "audit-phone");
    clean(aud, "audit");
    await aud.context().close();
    ok("administration pages");
  }

  await workflows({ newPage, signIn, shot, expect, ok, clean, env, BASE, PHONE });
  // corrections and lists (corrections.mjs)
  await corrections({ BASE, SHOTS, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean });
  // the city coordinator and the map (city.mjs)
  await city({ BASE, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean });
  // the analysts' work and office-ready exports (analysts.mjs)
  await analysts({ BASE, SHOTS, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean });
  // the school's own cycle steps (school.mjs)
  await school({ BASE, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean });
  // self-report links: made, answered on a phone, accepted (selfreport.mjs)
  await selfreport({ BASE, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean });
} finally {
  await browser.close();
}
console.log("screenshots: " + SHOTS);
