// Fills Porte's offline HTML walk list as a volunteer would, in jsdom (a headless browser DOM
// that runs the page's own JavaScript), and writes the CSV its "Export" button produces.
//
//   node fill.js PAGE.html PLAN.json OUT.csv
//
// PLAN.json: [{"address_fid": 12, "outcome": "opened", "contact": true, "note": "…"}, …]
// Each door is filled by clicking its outcome button and its contact button and typing its note
// (a "change" event), as on a phone. The page is then reloaded from what it saved in
// localStorage (a phone closing the tab) before Export is clicked, so the CSV also proves that
// nothing typed offline is lost. Prints a JSON summary on stdout.
"use strict";
const fs = require("fs");
const { JSDOM, VirtualConsole } = require("jsdom");

// The page's console goes to ours; jsdom's "Not implemented" (the download link's navigation)
// is not an error of the page.
const virtualConsole = new VirtualConsole();
virtualConsole.sendTo(console, { omitJSDOMErrors: true });
virtualConsole.on("jsdomError", (e) => {
  if (!/Not implemented/.test(e.message)) console.error(e);
});

const [page, planPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node fill.js PAGE.html PLAN.json OUT.csv");
  process.exit(2);
}
const html = fs.readFileSync(page, "utf8");
const plan = JSON.parse(fs.readFileSync(planPath, "utf8"));

function open(saved) {
  return new JSDOM(html, {
    runScripts: "dangerously",
    virtualConsole,
    url: "http://localhost/walklist.html",
    beforeParse(window) {
      for (const [k, v] of Object.entries(saved || {})) window.localStorage.setItem(k, v);
      // jsdom has no blob URLs: the page's download link is not needed, its text box is read.
      window.URL.createObjectURL = () => "blob:walklist";
    },
  });
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

let dom = open();
let doc = dom.window.document;
const data = JSON.parse(doc.getElementById("data").textContent);
const cards = doc.querySelectorAll("section.door");
if (cards.length !== data.doors.length) fail(`${cards.length} door cards for ${data.doors.length} doors`);
for (const step of plan) {
  const i = data.doors.findIndex((d) => d.address_fid === step.address_fid);
  if (i < 0) fail(`door ${step.address_fid} is not on the walk list`);
  const card = cards[i];
  if (step.outcome) {
    const button = card.querySelector(`.outcomes button[data-code="${step.outcome}"]`);
    if (!button) fail(`no button for outcome ${step.outcome}`);
    button.click();
  }
  if (step.contact) card.querySelector(".extra button").click();
  if (step.note) {
    const input = card.querySelector(".extra input");
    input.value = step.note;
    input.dispatchEvent(new dom.window.Event("change"));
  }
}
const countBefore = doc.getElementById("count").textContent;

// The tab is closed and opened again: the page restores its state from localStorage.
const saved = {};
const storage = dom.window.localStorage;
for (let i = 0; i < storage.length; i++) saved[storage.key(i)] = storage.getItem(storage.key(i));
dom.window.close();
dom = open(saved);
doc = dom.window.document;
const countAfter = doc.getElementById("count").textContent;
doc.getElementById("export").click();
const csv = doc.getElementById("csvbox").value;
fs.writeFileSync(outPath, csv);
console.log(JSON.stringify({ doors: data.doors.length, filled: plan.length, count_before: countBefore, count_after_reload: countAfter, csv_bytes: csv.length }));
