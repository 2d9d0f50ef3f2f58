// Browser flow of the self-report links (docs/self-report.md): the OPERATOR makes links
// for the whole due list from the school workspace; a phone (375 px) opens them until one
// addresses a guardian (a child under 14; else an alumnus answers for themselves),
// answers it — a destination, a prize, may be contacted again — and sees the thanks; the
// same link opened again is the neutral page; the OPERATOR accepts the answer on the
// queue and the person has left the due list. t carries the helpers of e2e.mjs.
export async function selfreport(t) {
  const { BASE, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean } = t;
  const page = await newPage(DESKTOP);
  await signIn(page, env("OPERATOR"));
  await page.goto(BASE + "/school");
  const before = Number(await page.locator("#due-count").textContent());
  await Promise.all([page.waitForURL(/\/school\/self-report-links/), page.locator("#make-links-all").click()]);
  const links = await page.locator("li.made-link").evaluateAll((ls) =>
    ls.map((l) => ({ person: l.dataset.person, name: l.querySelector(".name").textContent.trim(),
      url: l.querySelector("input.link-url").value, qr: !!l.querySelector("svg.qr") })));
  expect(links.length === before, `${links.length} links for ${before} due`);
  expect(links.every((l) => l.qr && /\/r\/[A-Za-z0-9_-]{40}$/.test(l.url)), "every link has its address and QR code");
  await shot(page, "selfreport-links-desktop");
  clean(page, "links page");

  // a phone opens the links until one addresses a guardian
  const phone = await newPage(PHONE);
  let link = null;
  let guardian = false;
  for (const l of links.slice(0, 40)) {
    await phone.goto(l.url.replace(/^https?:\/\/[^/]+/, BASE));
    expect(await phone.locator("#sr-greeting").count() === 1, "the link's page greets " + l.name);
    const greeting = (await phone.locator("#sr-greeting").textContent()).trim();
    expect(!greeting.includes(l.name), `the page shows the given name only, not "${l.name}": ${greeting}`);
    expect(await phone.locator("nav").count() === 0, "the link's page has no navigation");
    if (await phone.locator("#sr-guardian-hint").count() > 0) {
      link = l; guardian = true;
      break;
    }
    link = link || l;
  }
  await phone.goto(link.url.replace(/^https?:\/\/[^/]+/, BASE));
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  expect(width <= 375, "the answer page fits a 375 px phone, scroll width " + width);
  await shot(phone, "selfreport-answer-phone");
  if (guardian) {
    await phone.fill("#guardian_name", "王芳");
    await phone.check("#guardian_confirm");
  }
  await phone.selectOption("#destination_type", "junior_high");
  await phone.fill("#destination_org_name", "成都市第七中学初中学校");
  await phone.fill("#destination_started_on", "2025-09-01");
  await phone.fill("#prize_competition_0", "四川省青少年科技创新大赛");
  await phone.selectOption("#prize_level_0", "provincial");
  await phone.fill("#prize_awarded_on_0", "2026-04-20");
  await phone.check("#contact_yes");
  await shot(phone, "selfreport-filled-phone");
  await Promise.all([phone.waitForSelector("#sr-thanks"), phone.locator("#sr-submit").click()]);
  await shot(phone, "selfreport-thanks-phone");
  clean(phone, "answer page");
  // the same link again: the neutral page
  const again = await phone.goto(link.url.replace(/^https?:\/\/[^/]+/, BASE));
  expect(again.status() === 404 && await phone.locator("#sr-dead").count() === 1, "a used link is refused");
  await shot(phone, "selfreport-used-phone");
  clean(phone, "used link", /404/);
  await phone.context().close();
  ok(`a phone answered ${guardian ? "as the guardian of a child" : "as the alumnus"}; the link then refused`);

  // the school accepts it from the queue; the person leaves the due list
  await Promise.all([page.waitForURL(/\/school\/self-reports$/), page.locator('nav a[href="/school/self-reports"]').click()]);
  const answer = page.locator("li.due-item").filter({ hasText: link.name });
  expect(await answer.count() === 1, "the answer waits in the queue");
  expect((await answer.locator(".answer-destination").textContent()).includes("成都市第七中学初中学校"), "the queue shows the destination");
  await shot(page, "selfreport-queue-desktop");
  await Promise.all([page.waitForURL(/done=self_report_accepted/), answer.locator("button[id^=accept-]").click()]);
  expect((await page.locator(".flash").textContent()).includes("已采纳"), "the acceptance is confirmed");
  await page.setViewportSize(PHONE);
  await shot(page, "selfreport-queue-phone");
  await page.setViewportSize(DESKTOP);
  await page.goto(BASE + "/school");
  const after = Number(await page.locator("#due-count").textContent());
  expect(after === before - 1, `due list ${before} → ${after}`);
  expect(await page.locator("#due-" + link.person).count() === 0, "the person left the due list");
  clean(page, "queue");
  await page.context().close();
  ok(`the school accepted the answer; due list ${before} → ${after}`);
}
