// Download the ZIP of signed conventions while showing how much of it has arrived.
// The server announces the size of the PDFs it will send (X-Expected-Bytes); the ZIP is a little
// smaller once compressed, so the bar ends at 100 % when the last byte arrives.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.getElementById("signed-export-download");
  const bar = document.getElementById("signed-export-progress");
  const status = document.getElementById("signed-export-status");
  if (!link || !bar || !window.ReadableStream) return;
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    bar.hidden = false;
    status.textContent = "Préparation de l'archive…";
    const response = await fetch(link.href, { credentials: "same-origin" });
    if (!response.ok) {
      status.textContent = "L'export a échoué : réessayez ou contactez l'administrateur.";
      return;
    }
    const expected = Number(response.headers.get("X-Expected-Bytes")) || 0;
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (expected) bar.value = Math.min(99, Math.round((100 * received) / expected));
      status.textContent = `${Math.round(received / 1024)} Ko reçus`;
    }
    bar.value = 100;
    status.textContent = "Archive prête.";
    const url = URL.createObjectURL(new Blob(chunks, { type: "application/zip" }));
    const save = document.createElement("a");
    save.href = url;
    save.download = link.dataset.filename;
    document.body.appendChild(save);
    save.click();
    save.remove();
    URL.revokeObjectURL(url);
  });
});
