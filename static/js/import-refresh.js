// An import still queued or running: fetch the page quietly and reload only
// when the outcome changes, so a screen reader is not interrupted by a full
// reload every few seconds. The outcome and the interval come from the page
// (json_script and a data attribute): no inline script.
const marker = document.getElementById("import-outcome");
if (marker) {
  const outcome = JSON.parse(marker.textContent);
  const setting = document.querySelector("[data-refresh-seconds]");
  const every = Number(setting?.dataset.refreshSeconds || "5") * 1000;
  const check = async () => {
    try {
      const response = await fetch(window.location.href, { cache: "no-store" });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const latest = page.getElementById("import-outcome");
      if (!latest || JSON.parse(latest.textContent) !== outcome) {
        window.location.reload();
        return;
      }
    } catch {
      // A dropped connection: try again next time.
    }
    setTimeout(check, every);
  };
  setTimeout(check, every);
}
