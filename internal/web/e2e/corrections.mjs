// Browser flows of corrections and lists: a school operator corrects a wrong award on the
// person page (edit), deletes another and restores it, sees a stale edit refused in words
// with what was typed kept; the persons list filters, counts and exports. t carries the
// helpers of e2e.mjs.
import fs from "node:fs";
import path from "node:path";

export async function corrections(t) {
  const { BASE, SHOTS, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean } = t;
  const page = await newPage(DESKTOP);
  page.on("dialog", (d) => d.accept()); // the delete button asks first
  await signIn(page, env("OPERATOR"));
  await page.goto(BASE + "/school");
  await Promise.all([page.waitForURL(/\/persons\/\d+/), page.locator("li.due-item a.name").first().click()]);
  const personURL = page.url().split("?")[0].split("#")[0];
  const day = new Date(Date.now() - 40 * 86400e3).toISOString().slice(0, 10);

  // two awards from the quick form, one of them wrong
  for (const name of ["青少年科技创新大塞", "e2e 待删除的获奖"]) {
    const form = page.locator('#record form[action$="/awards"]');
    await form.locator("input[name=competition]").fill(name);
    await form.locator("select[name=level]").selectOption("provincial");
    await form.locator("input[name=awarded_on]").fill(day);
    await Promise.all([page.waitForURL(/done=award/), form.locator("button[type=submit]").click()]);
  }
  const record = (name) => page.locator('li.record[data-record="award"]', { hasText: name }).first();

  // correct the typo: the confirmation is where the user looks
  let wrong = record("青少年科技创新大塞");
  await wrong.locator("summary").click();
  await wrong.locator("input[name=competition]").fill("青少年科技创新大赛");
  await wrong.locator("select[name=level]").selectOption("national");
  await Promise.all([page.waitForURL(/done=record_saved/), wrong.locator("form.quick-form button[type=submit]").click()]);
  const flash = page.locator(".flash");
  expect((await flash.textContent()).includes("已保存修改"), "confirmation after the edit");
  await page.waitForFunction(() => document.activeElement && document.activeElement.classList.contains("flash"));
  const inView = await flash.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && document.activeElement === el;
  });
  expect(inView, "the confirmation is in view and has the focus");
  const fixed = record("青少年科技创新大赛");
  expect((await fixed.count()) === 1 && (await fixed.textContent()).includes("国家级"), "the corrected award is listed");
  expect((await record("青少年科技创新大塞").count()) === 0, "the typo is gone");
  ok("operator corrected an award");

  // delete one, then restore it
  await Promise.all([page.waitForURL(/done=record_deleted/),
    record("e2e 待删除的获奖").locator('form[action$="/delete"] button').click()]);
  const gone = record("e2e 待删除的获奖");
  expect((await gone.locator(".tag").textContent()).includes("已删除"), "the deleted award is marked");
  await shot(page, "person-records-desktop");
  await Promise.all([page.waitForURL(/done=record_restored/), gone.locator('form[action$="/restore"] button').click()]);
  expect((await record("e2e 待删除的获奖").locator('form[action$="/delete"]').count()) === 1, "restored");
  clean(page, "corrections");
  ok("operator deleted an award and restored it");

  // a stale edit: another tab saved first
  const other = await newPage(DESKTOP);
  await signIn(other, env("OPERATOR"));
  await other.goto(personURL);
  const mine = record("青少年科技创新大赛");
  await mine.locator("summary").click();
  const theirs = other.locator('li.record[data-record="award"]', { hasText: "青少年科技创新大赛" }).first();
  await theirs.locator("summary").click();
  await theirs.locator("input[name=rank]").fill("一等奖");
  await Promise.all([other.waitForURL(/done=record_saved/), theirs.locator("form.quick-form button[type=submit]").click()]);
  await mine.locator("input[name=rank]").fill("二等奖（我填的）");
  await Promise.all([page.waitForLoadState("load"), mine.locator("form.quick-form button[type=submit]").click()]);
  await page.waitForSelector(".form-error[role=alert]");
  const msg = await page.locator(".form-error[role=alert]").first().textContent();
  expect(msg.includes("此记录已被他人修改，请刷新后重试"), "the stale edit says so: " + msg);
  const kept = await page.locator('li.record[data-record="award"] details[open] input[name=rank]').first().inputValue();
  expect(kept === "二等奖（我填的）", "what was typed is kept: " + kept);
  clean(page, "stale edit", /status of 412/);
  await other.context().close();
  ok("a stale edit is refused in words, the typing kept");

  await page.setViewportSize(PHONE);
  await page.goto(personURL + "#records");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 1, `person page is wider than the phone by ${overflow}px`);
  await shot(page, "person-records-phone");
  await page.setViewportSize(DESKTOP);

  // the persons list: filter, total, export
  await page.goto(BASE + "/persons");
  const total = async () => Number(((await page.locator("#persons-total").textContent()).match(/共 (\d+) 人/) || [])[1]);
  const all = await total();
  expect(all >= 1, "the list has a total: " + all);
  await page.locator("#f-level").selectOption("provincial");
  await Promise.all([page.waitForURL(/level=provincial/), page.locator("form.filters button[type=submit]").click()]);
  const some = await total();
  expect(some >= 1 && some <= all, `filtered ${all} → ${some}`);
  await shot(page, "persons-desktop");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#persons-export").click()]);
  const file = path.join(SHOTS, "download-" + download.suggestedFilename());
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 2).toString() === "PK", "the export is an XLSX");
  await page.setViewportSize(PHONE);
  await page.reload();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(wide <= 1, `persons list is wider than the phone by ${wide}px`);
  await shot(page, "persons-phone");
  clean(page, "persons list");
  ok(`persons list: ${all} → ${some} with a filter; exported ${download.suggestedFilename()}`);
  await page.context().close();
}
