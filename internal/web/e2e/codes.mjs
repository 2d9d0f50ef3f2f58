// The internal codes a page must not show in its visible text: edition ids and snake_case
// keys (enumerations, roles, field names). A code shown on purpose beside its name is in a
// <span class="code"> and not read.
// codesIn lists them, once each.
export async function codesIn(page) {
  const text = await page.evaluate(() => {
    const c = document.body.cloneNode(true);
    c.querySelectorAll("script, .code").forEach((e) => e.remove());
    return c.innerText;
  });
  return [...new Set(text.match(/\b(jingke|jindaoshi)-\d{4}\b|\b[a-z]+(_[a-z]+)+\b/g) || [])];
}

