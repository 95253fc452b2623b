import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { ErrorNotice } from "../../components";

/** Saves a file the page holds, as a download the browser names `filename`. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Download my data": GET /customers/me/export, saved as my-data.json, byte for byte as the server wrote it. */
export function DownloadData() {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState("");
  const [error, setError] = useState<unknown>(null);

  const download = async () => {
    if (busy) return;
    setBusy(true);
    setDone("");
    setError(null);
    try {
      const file = await call(api.GET("/api/v1/customers/me/export", { parseAs: "blob" }));
      saveFile(new Blob([file], { type: "application/json" }), "my-data.json");
      setDone("Your data is downloaded as my-data.json.");
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="download-data">
      <button type="button" onClick={download}>
        {busy ? "Preparing…" : "Download my data"}
      </button>
      <p role="status" class="saved">
        {done}
      </p>
      {error !== null && <ErrorNotice error={error} />}
    </div>
  );
}
