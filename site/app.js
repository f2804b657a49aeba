// The Tidewatch console: plain browser JavaScript, no build step. Reads its stage's settings from
// config.js (window.TIDEWATCH_CONFIG), holds no secret of its own: a bearer token, when the API asks for
// one, is typed in by the user and kept in sessionStorage for this browser session only.
const config = window.TIDEWATCH_CONFIG ?? {};
const TOKEN_KEY = 'tidewatch.token';
const CREATED_KEY = 'tidewatch.created';
const REFRESH_MS = 2000;
// Browsers set these themselves and refuse them from scripts.
const FORBIDDEN_HEADERS = new Set(['content-length', 'host']);

const $ = (selector) => document.querySelector(selector);

function say(text, isError = false) {
  const message = $('#message');
  message.textContent = text;
  message.classList.toggle('error', isError);
}

function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return config.apiAuth === 'jwt' && token ? { authorization: `Bearer ${token}` } : {};
}

async function callApi(method, path, body) {
  const response = await fetch(new URL(path, config.apiUrl), {
    method,
    headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(answer.message ?? `${method} /${path} answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return answer;
}

/** Ids of what this browser created, for stages without GET /items. */
function created() {
  return JSON.parse(localStorage.getItem(CREATED_KEY) ?? '[]');
}

function remember(kind, id) {
  localStorage.setItem(CREATED_KEY, JSON.stringify([{ kind, id }, ...created().filter((item) => item.id !== id)].slice(0, 50)));
}

/** PUT through XMLHttpRequest: fetch reports no upload progress. */
function putFile(url, headers, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => (request.status < 300 ? resolve() : reject(new Error(`the upload answered ${request.status}`)));
    request.onerror = () => reject(new Error('the upload did not reach the bucket'));
    request.send(file);
  });
}

async function upload(event) {
  event.preventDefault();
  const file = $('#file').files[0];
  if (!file) return say('Choose a CSV file first.', true);
  const progress = $('#upload-progress');
  progress.value = 0;
  try {
    const contentType = file.type || 'text/csv';
    const presigned = await callApi('POST', 'presign', { fileName: file.name, contentType, size: file.size });
    remember('file', presigned.fileId);
    say(`Uploading ${file.name}…`);
    await putFile(presigned.uploadUrl, presigned.headers ?? {}, file, (share) => (progress.value = Math.round(share * 100)));
    progress.value = 100;
    say(`Uploaded ${file.name} as file ${presigned.fileId}.`);
    refresh();
  } catch (error) {
    say(`Upload failed: ${error.message}`, true);
  }
}

async function submitJob(event) {
  event.preventDefault();
  let payload;
  try {
    const text = $('#payload').value.trim();
    payload = text === '' ? undefined : JSON.parse(text);
  } catch {
    return say('The payload is not valid JSON.', true);
  }
  const queue = $('#queue').value.trim();
  const job = { task: $('#task').value.trim(), ...(payload === undefined ? {} : { payload }), ...(queue ? { queue } : {}), ...($('#fail').checked ? { fail: true } : {}) };
  try {
    const answer = await callApi('POST', 'jobs', job);
    remember('job', answer.jobId);
    say(`Job ${answer.jobId} accepted on queue ${answer.queue}.`);
    refresh();
  } catch (error) {
    say(`Job refused: ${error.message}`, true);
  }
}

/** Every item of GET /items' first page, or what this browser created, each read by id. */
async function loadItems() {
  if (config.listsItems) return (await callApi('GET', 'items?limit=50')).items;
  const items = await Promise.all(
    created().map(({ kind, id }) =>
      callApi('GET', `${kind}s/${id}`).catch((error) => (error.status === 404 ? { id, kind, status: kind === 'file' ? 'UPLOADING' : 'SUBMITTED' } : { id, kind, status: 'UNKNOWN', lastError: { message: error.message } })),
    ),
  );
  return items;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
}

function render(items) {
  const body = $('#items tbody');
  const rows = items.map((item) => {
    const row = document.createElement('tr');
    row.dataset.id = item.id;
    cell(row, item.id, 'id');
    cell(row, item.kind);
    cell(row, item.queue);
    cell(row, item.fileName ?? item.task);
    cell(row, item.status, `status status-${item.status}`);
    cell(row, item.rowCount === undefined ? '' : String(item.rowCount), 'rows');
    cell(row, item.lastError ? `${item.lastError.class ? `${item.lastError.class}: ` : ''}${item.lastError.message}` : '', 'reason');
    cell(row, item.updatedAt ? new Date(item.updatedAt).toLocaleTimeString() : '');
    return row;
  });
  body.replaceChildren(...rows);
}

let refreshing = false;
async function refresh() {
  if (refreshing || (config.apiAuth === 'jwt' && !sessionStorage.getItem(TOKEN_KEY))) return;
  refreshing = true;
  try {
    render(await loadItems());
  } catch (error) {
    say(`Could not read the items: ${error.message}`, true);
  } finally {
    refreshing = false;
  }
}

function start() {
  if (!config.apiUrl) return say('config.js sets no apiUrl: the console does not know its API.', true);
  $('#items-source').textContent = config.listsItems ? 'Recent items of every work queue (GET /items).' : 'The items this browser created (their ids are kept in this browser).';
  if (config.apiAuth === 'jwt') {
    $('#token-section').hidden = false;
    $('#token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
      $('#token').value = '';
      say('Token kept for this session.');
      refresh();
    });
  }
  $('#upload-form').addEventListener('submit', upload);
  $('#job-form').addEventListener('submit', submitJob);
  refresh();
  setInterval(refresh, REFRESH_MS);
}

start();
