// Browser flows of the workflow pages: a mentor answers a growth-log entry; the office
// verifies an award from the queue and admits a recommended nominee after the public
// notice; every new page is photographed at 1366 and 375 px and checked for width on a
// phone. Called by e2e.mjs with its helpers; MENTOR and MENTOR_PARTICIPANT come from
// e2e_test.go (a mentor and one of their participants with a growth log).

const FEEDBACK = "e2e：实验记录完整，下次请补充对照组。";

export async function workflows({ newPage, signIn, shot, expect, ok, clean, env, BASE, PHONE }) {
  // phoneShots photographs pages at 375 px, checking that none is wider than the phone
  async function phoneShots(page, pages) {
    await page.setViewportSize(PHONE);
    for (const [url, name] of pages) {
      await page.goto(BASE + url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `${url} is wider than the phone by ${overflow}px`);
      await shot(page, name);
    }
  }

  // --- a mentor answers a growth-log entry
  {
    const page = await newPage({ width: 1366, height: 900 });
    await signIn(page, env("MENTOR"));
    expect(new URL(page.url()).pathname === "/mentor", "a mentor lands on /mentor, got " + page.url());
    expect(Number(await page.locator("#participant-count").textContent()) >= 1, "the mentor has participants");
    expect(!(await page.locator("main").textContent()).match(/jingke-|jindaoshi-/), "no edition id on the workspace");
    await shot(page, "mentor-desktop");
    const participant = "/mentor/participants/" + env("MENTOR_PARTICIPANT");
    await page.goto(BASE + participant);
    const entry = page.locator("#logs li.due-item").first();
    const entryId = await entry.getAttribute("id");
    await entry.locator("textarea[name=feedback]").fill(FEEDBACK);
    await Promise.all([page.waitForURL(/done=feedback/), entry.locator("button[type=submit]").click()]);
    expect((await page.locator(".flash").textContent()).includes("已保存反馈"), "feedback confirmation shown");
    expect((await page.locator("#" + entryId).textContent()).includes(FEEDBACK), "the feedback is on the entry");
    await shot(page, "participant-desktop");
    clean(page, "mentor pages");
    ok("mentor answered a growth-log entry");
    await phoneShots(page, [["/mentor", "mentor-phone"], [participant, "participant-phone"]]);
    clean(page, "mentor pages on a phone");
    ok("mentor pages at 375 px");
    await page.context().close();
  }

  // --- the office verifies an award and admits a nominee after the notice
  {
    const page = await newPage({ width: 1366, height: 900 });
    await signIn(page, env("ADMIN"));
    for (const label of ["申报审核", "选拔录取", "获奖核实", "报表发布"]) {
      expect((await page.locator("nav a", { hasText: label }).count()) === 1, "the office's navigation has " + label);
    }
    await page.goto(BASE + "/office/awards");
    await shot(page, "awards-desktop");
    const queued = Number((await page.locator("#awards-total").textContent()).match(/共 (\d+) 条/)[1]);
    const award = page.locator("#award-queue li.due-item").first();
    const awardId = await award.getAttribute("id");
    await Promise.all([page.waitForURL(/done=verified/), award.locator("button[value=verified]").click()]);
    expect((await page.locator(".flash").textContent()).includes("已核实"), "verification confirmation shown");
    expect((await page.locator("#" + awardId).count()) === 0, "the verified award left the queue");
    expect((await page.locator("#awards-total").textContent()).includes(`共 ${queued - 1} 条`), "the queue's total went down by one");
    await page.goto(BASE + "/office/awards?state=verified");
    expect((await page.locator("#" + awardId).count()) === 1, "the verified award is listed under 已核实");
    await shot(page, "awards-verified-desktop");
    clean(page, "award queue");
    ok("office verified " + awardId + `; the queue ${queued} → ${queued - 1}`);

    await page.goto(BASE + "/office/selection");
    await shot(page, "selection-desktop");
    const rows = page.locator("#h-schools ~ .table-wrap tbody tr");
    let school = null;
    for (let i = 0; i < (await rows.count()); i++) {
      if (Number(await rows.nth(i).locator("td").nth(1).textContent()) > 0) {
        school = rows.nth(i).locator("a");
        break;
      }
    }
    expect(school !== null, "a school has recommended nominees");
    await Promise.all([page.waitForURL(/school=/), school.click()]);
    const nominee = page.locator("#recommended li.due-item").first();
    const nomineeId = await nominee.getAttribute("id");
    await nominee.locator("select[name=mentor_id]").selectOption({ index: 1 });
    await Promise.all([page.waitForURL(/done=admitted/), nominee.locator("button[type=submit]").click()]);
    expect((await page.locator(".flash").textContent()).includes("已录取"), "admission confirmation shown");
    expect((await page.locator("#recommended #" + nomineeId).count()) === 0, "the admitted nominee left the recommended list");
    await shot(page, "selection-school-desktop");
    const selection = new URL(page.url()).pathname + new URL(page.url()).search.replace(/&?done=admitted/, "");
    clean(page, "selection");
    ok("office admitted " + nomineeId + " after the notice");

    await page.goto(BASE + "/office/applications");
    await shot(page, "applications-desktop");
    await page.goto(BASE + "/office/reports");
    page.once("dialog", (d) => d.accept());
    await Promise.all([page.waitForURL(/\/office\/reports\/\d+/), page.locator("form[action='/office/reports'] button[type=submit]").click()]);
    expect((await page.locator(".flash").textContent()).includes("已发布"), "publication confirmation shown");
    const frozen = new URL(page.url()).pathname;
    await shot(page, "frozen-desktop");
    await page.goto(BASE + "/office/reports");
    await shot(page, "publish-desktop");
    await page.goto(BASE + "/admin/users/" + env("ANALYST") + "/password");
    await shot(page, "password-desktop");
    for (const url of ["/office/awards", "/office/awards?state=verified", selection, "/office/applications", "/office/reports", frozen]) {
      await page.goto(BASE + url);
      expect(!(await page.locator("main").textContent()).match(/jingke-\d|jindaoshi-\d|office_admin/), "no internal code on " + url);
    }
    clean(page, "office pages");
    ok("office workflow pages");
    await phoneShots(page, [["/office/awards", "awards-phone"], ["/office/selection", "selection-phone"],
      [selection, "selection-school-phone"], ["/office/applications", "applications-phone"],
      ["/office/reports", "publish-phone"], [frozen, "frozen-phone"], ["/admin/users/" + env("ANALYST") + "/password", "password-phone"]]);
    clean(page, "office pages on a phone");
    ok("office workflow pages at 375 px");
    await page.context().close();
  }
}
