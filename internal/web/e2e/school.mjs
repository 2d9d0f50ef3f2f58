// Browser flow of the school's own cycle steps (/school/cycle): the OPERATOR opens the page
// from the navigation, fills in, saves and submits the application of an edition their
// school has none for (the 金导师 edition), nominates a student in the edition whose
// application the office approved (the default one), and records who attended a training
// session; the page at 1366 and 375 px. t carries the helpers of e2e.mjs.
export async function school(t) {
  const { BASE, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean } = t;
  const page = await newPage(DESKTOP);
  await signIn(page, env("OPERATOR"));
  await Promise.all([page.waitForURL(/\/school\/cycle/), page.locator('nav a[href="/school/cycle"]').click()]);
  expect((await page.locator("#application-status").textContent()).trim() === "已通过",
    "the default edition's application is approved");
  await shot(page, "school-cycle-desktop");
  clean(page, "school cycle");

  // the application of another edition: none yet, so the form is filled in, saved, submitted
  const other = await page.locator("#cy-edition option").evaluateAll((os) =>
    os.filter((o) => !o.selected && o.textContent.includes("金导师") && o.textContent.includes("2026")).map((o) => o.value));
  expect(other.length === 1, "a 金导师 edition to apply for");
  await page.selectOption("#cy-edition", other[0]);
  await Promise.all([page.waitForURL(/edition=/), page.locator('form.filters button[type="submit"]').first().click()]);
  expect((await page.locator("#application-status").textContent()).trim() === "尚未填写", "no application yet");
  const [starts, ends] = (await page.locator("#edition-span").textContent()).match(/\d{4}-\d{2}-\d{2}/g);
  await page.fill('[id="app-head.name"]', "王校长");
  await page.fill('[id="app-head.title"]', "校长");
  await page.fill('[id="app-head.mobile"]', "13800000001");
  await page.fill('[id="app-lead.name"]', "李老师");
  await page.fill('[id="app-lead.title"]', "科技辅导员");
  await page.fill('[id="app-lead.mobile"]', "13800000002");
  await page.fill('[id="app-conditions.staff"]', "专职科技教师 3 名");
  for (const ph of ["selection", "daily_management", "summary_evaluation"]) {
    await page.fill(`[id="app-phases.${ph}.content"]`, "按通知要求开展");
    await page.fill(`[id="app-phases.${ph}.starts_on"]`, starts);
    await page.fill(`[id="app-phases.${ph}.ends_on"]`, ends);
  }
  await Promise.all([page.waitForURL(/done=app_saved/), page.locator('button[name="intent"][value="save"]').first().click()]);
  expect((await page.locator("#application-status").textContent()).trim() === "草稿", "saved as a draft");
  expect(await page.locator('[id="app-lead.name"]').inputValue() === "李老师", "the saved form shows its values");
  await Promise.all([page.waitForURL(/done=app_submitted/), page.locator('button[name="intent"][value="submit"]').first().click()]);
  expect((await page.locator("#application-status").textContent()).trim() === "已提交", "submitted");
  expect((await page.locator("p.flash").textContent()).includes("已提交"), "the confirmation");
  clean(page, "school cycle application");
  ok("school operator: an application filled in, saved and submitted");

  // the approved edition: nominate a student, record attendance
  await page.goto(BASE + "/school/cycle");
  const before = Number(await page.locator("#nominee-count").textContent());
  const person = await page.locator("#nominate-person_id option").nth(1).getAttribute("value");
  expect(person, "a person of the school to nominate");
  await page.selectOption("#nominate-person_id", person);
  await page.selectOption("#nominate-category", { index: 1 });
  await page.selectOption("#nominate-grade", "5");
  await Promise.all([page.waitForURL(/done=nominated/), page.locator('#nominees button[type="submit"]').click()]);
  expect(Number(await page.locator("#nominee-count").textContent()) === before + 1, "one more nominee");
  expect((await page.locator("#nominees tbody").textContent()).includes("已报名"), "the nominee is registered");
  ok("school operator: a student nominated");

  const session = page.locator("#training li.due-item").first();
  const id = await session.getAttribute("id");
  const boxes = session.locator('input[name="attendee"]');
  expect(await boxes.count() > 0, "participants to tick");
  const box = boxes.first();
  const was = await box.isChecked();
  await box.setChecked(!was);
  await Promise.all([page.waitForURL(/done=attendance/), session.locator('button[type="submit"]').click()]);
  expect(await page.locator(`#${id} input[name="attendee"]`).first().isChecked() === !was, "the attendance is saved");
  const text = await page.locator("main").textContent();
  expect(!/\b(jingke|jindaoshi)-\d{4}\b|\bS\d{9}\b|\b[a-z]+_[a-z]+\b/.test(text), "the page names, not codes");
  clean(page, "school cycle attendance");
  ok("school operator: training attendance recorded");

  await page.setViewportSize(PHONE);
  await page.goto(BASE + "/school/cycle");
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= PHONE.width, "the cycle page fits 375 px: " + wide);
  await shot(page, "school-cycle-phone");
  clean(page, "school cycle phone");
  ok("school cycle page at 375 px");
  await page.context().close();
}
