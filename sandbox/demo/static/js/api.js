// The sandbox's JSON API: people act through it, the bot's answers come back as events.

async function answer(response) {
  let data = {};
  try {
    data = await response.json();
  } catch {
    // not JSON: keep the status below
  }
  if (!response.ok) throw new Error(data.error || `The sandbox answered ${response.status}.`);
  return data;
}

export async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return answer(response);
}

export async function upload(path, fields, file) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== null && value !== undefined) form.append(key, String(value));
  }
  form.append("file", file, file.name);
  return answer(await fetch(path, { method: "POST", body: form }));
}

// The size of a picture, so that the emulator reports it like Telegram does.
export async function pictureSize(file) {
  if (!file.type.startsWith("image/")) return null;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}
