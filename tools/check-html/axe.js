// usage: node axe.js file.html [width]
const puppeteer = require('puppeteer-core');
const fs = require('fs');
(async () => {
  const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox','--disable-gpu','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync']});
  const axeSrc = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  let failed = 0;
  for (const f of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.setViewport({width: 1280, height: 900});
    await page.goto('file://' + f);
    await page.evaluate(axeSrc);
    const r = await page.evaluate(async () => await axe.run(document, {resultTypes: ['violations']}));
    for (const v of r.violations) {
      console.log(`${f}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} nodes) e.g. ${v.nodes[0].html.slice(0,160)}`);
      if (v.impact === 'serious' || v.impact === 'critical') failed++;
    }
    await page.close();
  }
  await browser.close();
  console.log(`serious or critical violations: ${failed}`);
  process.exit(failed ? 1 : 0);
})();
