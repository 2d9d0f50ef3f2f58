// Browser flows of a city coordinator: the dashboard shows their city only, its map by
// district drawn on canvas with the district and school tables beside it; another city's
// school page says "no access" (403). The analyst's province map is checked in e2e.mjs's
// dashboard step (every chart drawn). t carries the helpers of e2e.mjs.
export async function city(t) {
  const { BASE, DESKTOP, PHONE, env, expect, ok, newPage, signIn, shot, clean } = t;
  const page = await newPage(DESKTOP);
  await signIn(page, env("CITY"));
  await page.goto(BASE + "/dashboard");
  await page.waitForFunction(() => {
    const m = document.querySelector("#chart-map");
    return m && m.getAttribute("data-rendered") === "true" && m.querySelector("canvas");
  }, null, { timeout: 20000 });
  const spec = JSON.parse(await page.locator("#chart-map").getAttribute("data-chart"));
  expect(spec.type === "map" && spec.map.city && spec.x.length > 1, "the map is the city by district");
  expect(await page.locator("#chart-cities").count() === 0, "no chart of all 21 cities");
  const districts = await page.locator("#district-table tbody tr").count();
  const schools = await page.locator("#school-table tbody tr").count();
  expect(districts >= 1 && schools >= 1, `districts ${districts}, schools ${schools}`);
  const first = (await page.locator("#district-table tbody th").first().textContent()).trim();
  expect(Object.values(spec.map.names).includes(first), `district ${first} is named as on the map`);
  // the map answers the pointer with the district's name and figures
  const box = await page.locator("#chart-map canvas").first().boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await shot(page, "city-dashboard-desktop");
  clean(page, "city dashboard");
  ok(`city coordinator: map of ${spec.x.length} districts, ${districts} districts and ${schools} schools in tables`);

  // a school of the city opens from the table; another city's school is no access
  await Promise.all([page.waitForURL(/\/school\?school=/), page.locator("#school-table tbody a").first().click()]);
  expect(await page.locator("h1").count() === 1, "the school's workspace");
  clean(page, "city school");
  const res = await page.goto(BASE + "/school?school=" + encodeURIComponent(env("OTHER_CITY_SCHOOL")));
  expect(res.status() === 403, "another city's school: " + res.status());
  expect((await page.locator("main").textContent()).includes("无权查看"), "the 403 page says no access");
  await shot(page, "city-other-school-desktop");
  clean(page, "city other school", /403|Forbidden/);
  ok("city coordinator: another city's school is 403 无权查看");

  await page.setViewportSize(PHONE);
  await page.goto(BASE + "/dashboard");
  await page.waitForFunction(() => {
    const m = document.querySelector("#chart-map");
    return m && m.getAttribute("data-rendered") === "true";
  }, null, { timeout: 20000 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= PHONE.width, "the city dashboard fits 375 px: " + wide);
  await shot(page, "city-dashboard-phone");
  clean(page, "city dashboard phone");
  ok("city coordinator dashboard at 375 px");
  await page.context().close();
}
