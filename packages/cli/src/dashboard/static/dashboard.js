/* global document, window, EventSource */
// The dashboard page: renders each snapshot the server sends over Server-Sent Events
// (/api/events). Plain browser JavaScript, no build step. Every value from the stream or the lease
// table goes into the page as text (textContent, attributes), never as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, attributes, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  for (const child of children) if (child !== undefined && child !== null) node.append(child instanceof window.Node ? child : String(child));
  return node;
}

function shortShard(shardId) {
  const match = /^shardId-0*(\d+)$/.exec(shardId);
  return match ? `shard ${match[1]}` : shardId;
}

function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3600000) return `${(ms / 60000).toFixed(1)} min`;
  return `${(ms / 3600000).toFixed(1)} h`;
}

function rate(value) {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

function bytes(value) {
  if (value < 1024) return `${value.toFixed(0)} B`;
  if (value < 1048576) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1048576).toFixed(2)} MiB`;
}

/** A stable colour per owner, so a takeover shows as a change of colour. */
function colourOf(owner) {
  if (owner === null || owner === undefined) return '#ffffff';
  let hash = 0;
  for (const char of owner) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  // The golden angle spreads names that differ by one letter (worker-1, worker-2) far apart.
  return `hsl(${Math.round((hash * 137.508) % 360)}, 65%, 72%)`;
}

function hashRange(shard) {
  const from = (shard.top * 100).toFixed(1);
  const to = ((shard.top + shard.height) * 100).toFixed(1);
  return el('span', { title: `${shard.startingHashKey} – ${shard.endingHashKey}` }, `${from} – ${to} %`);
}

function checkpointText(lease) {
  const sequence = lease.checkpoint;
  const text = /^\d{13,}$/.test(sequence) ? `…${sequence.slice(-10)}` : sequence;
  const sub = lease.subSequenceNumber > 0 ? `:${lease.subSequenceNumber}` : '';
  return el('span', { title: `${sequence}${sub}${lease.pendingCheckpoint ? ` (pending ${lease.pendingCheckpoint})` : ''}` }, text + sub);
}

function lagText(lease, takenAtMs) {
  if (!lease || !lease.lag) return el('span', { class: 'stale' }, 'measuring…');
  const lag = lease.lag;
  const age = el('span', { class: 'stale' }, ` (${duration(Math.max(0, takenAtMs - lag.measuredAtMs))} ago)`);
  if (lag.kind === 'ended') return el('span', {}, 'ended');
  if (lag.kind === 'unknown') return el('span', { title: lag.why }, '?', age);
  return el('span', { 'data-millis-behind': lag.millisBehindLatest }, duration(lag.millisBehindLatest), age);
}

function renderLineage(snapshot) {
  const svg = document.getElementById('lineage');
  svg.replaceChildren();
  const width = Math.max(480, svg.clientWidth || 800);
  const height = Number(svg.getAttribute('height'));
  const columns = Math.max(1, snapshot.columns);
  const columnWidth = Math.min(220, width / columns);
  const boxWidth = columnWidth - 44;
  const place = new Map();
  for (const shard of snapshot.shards) {
    const x = 4 + shard.generation * columnWidth;
    const y = 2 + shard.top * (height - 4);
    const h = Math.max(3, shard.height * (height - 4) - 2);
    place.set(shard.shardId, { x, y, h });
  }
  for (const edge of snapshot.edges) {
    const from = place.get(edge.from);
    const to = place.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + boxWidth;
    const y1 = from.y + from.h / 2;
    const x2 = to.x;
    const y2 = to.y + to.h / 2;
    svg.append(el('svg:path', { class: 'edge', d: `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}` }));
  }
  for (const shard of snapshot.shards) {
    const { x, y, h } = place.get(shard.shardId);
    const owner = shard.lease ? shard.lease.owner : null;
    const group = el('svg:g', { class: shard.open ? 'open' : 'closed', 'data-shard-id': shard.shardId });
    group.append(el('svg:rect', { x, y, width: boxWidth, height: h, rx: 3, fill: shard.open ? colourOf(owner) : undefined }));
    group.append(el('svg:title', {}, `${shard.shardId} (${shard.open ? 'open' : 'closed'})${owner ? `, owner ${owner}` : ''}`));
    if (h >= 14) group.append(el('svg:text', { x: x + 5, y: y + Math.min(h / 2, 14) + 4 }, `${shortShard(shard.shardId)}${owner ? ` · ${owner}` : ''}`));
    svg.append(group);
  }
}

function renderShards(snapshot) {
  const rows = snapshot.shards.map((shard) => {
    const lease = shard.lease;
    const owner = lease ? lease.owner : null;
    return el(
      'tr',
      { 'data-shard-id': shard.shardId, 'data-owner': owner || '', class: shard.open ? 'open' : 'closed' },
      el('td', { title: shard.shardId }, shortShard(shard.shardId)),
      el('td', {}, shard.open ? 'open' : 'closed'),
      el('td', {}, hashRange(shard)),
      el('td', {}, shard.parentShardIds.map(shortShard).join(', ') || '–'),
      el('td', {}, shard.childShardIds.map(shortShard).join(', ') || '–'),
      el('td', { class: 'owner' }, lease ? el('span', {}, el('span', { class: 'swatch', 'data-colour': colourOf(owner) }), owner || 'nobody') : 'no lease'),
      el('td', {}, lease ? checkpointText(lease) : '–'),
      el('td', {}, lease ? lagText(lease, snapshot.takenAtMs) : '–'),
    );
  });
  document.querySelector('#shards tbody').replaceChildren(...rows);
  // The CSP forbids inline styles in markup; colours are set through the DOM instead.
  for (const swatch of document.querySelectorAll('#shards .swatch')) swatch.style.background = swatch.dataset.colour;
  const orphans = snapshot.orphanLeases;
  document.getElementById('orphans').replaceChildren(
    orphans.length === 0
      ? ''
      : el('p', { class: 'note' }, `${orphans.length} lease(s) name shards the stream no longer lists (past retention, or this lease table belongs to another stream): ${orphans.map((lease) => `${shortShard(lease.leaseKey)} (${lease.owner || 'nobody'}, ${lease.checkpoint})`).join(', ')}`),
  );
}

function renderWorkers(snapshot) {
  const rows = snapshot.workers.map((worker) =>
    el(
      'tr',
      { 'data-worker-id': worker.workerId, 'data-state': worker.state },
      el('td', {}, el('span', { class: 'swatch', 'data-colour': colourOf(worker.workerId) }), worker.workerId),
      el('td', { class: `state-${worker.state}` }, worker.state),
      el('td', {}, `${worker.leaseKeys.length}: ${worker.leaseKeys.map(shortShard).join(', ') || '–'}`),
      el('td', {}, worker.lastActivityMs === null || worker.lastActivityMs === undefined ? 'not seen yet' : `${duration(Math.max(0, snapshot.takenAtMs - worker.lastActivityMs))} ago`),
    ),
  );
  document.querySelector('#workers tbody').replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 4 }, 'No lease has an owner.'))]));
  for (const swatch of document.querySelectorAll('#workers .swatch')) swatch.style.background = swatch.dataset.colour;
}

function bars(throughput, bucketMs, windowMs) {
  const count = windowMs / bucketMs;
  const width = 240;
  const height = 28;
  const svg = el('svg:svg', { class: 'bars', width, height, viewBox: `0 0 ${width} ${height}` });
  const buckets = throughput ? throughput.buckets.slice(-count) : [];
  const peak = Math.max(1, ...buckets.map((bucket) => bucket.userRecords));
  const barWidth = width / count;
  buckets.forEach((bucket, index) => {
    const h = (bucket.userRecords / peak) * (height - 2);
    const x = (count - buckets.length + index) * barWidth;
    const rect = el('svg:rect', { x: x + 0.5, y: height - h, width: Math.max(1, barWidth - 1), height: Math.max(0, h) });
    rect.append(el('svg:title', {}, `${new Date(bucket.startMs).toLocaleTimeString()}: ${rate((bucket.userRecords * 1000) / bucketMs)} user records/s`));
    svg.append(rect);
  });
  return svg;
}

function renderThroughput(snapshot) {
  const info = snapshot.throughput;
  document.getElementById('throughput-source').textContent =
    info.source === 'off'
      ? 'Off (--throughput off).'
      : `${info.measures === 'processed' ? 'Processed' : 'Incoming'}: ${info.description}. Bars: ${duration(info.bucketMs)} each over the last ${duration(info.windowMs)}; rates over the last minute.`;
  const rows = snapshot.shards
    .filter((shard) => shard.open || (shard.throughput && shard.throughput.buckets.some((bucket) => bucket.records > 0)))
    .map((shard) => {
      const last = shard.throughput ? shard.throughput.lastMinute : null;
      return el(
        'tr',
        { 'data-shard-id': shard.shardId, class: shard.open ? 'open' : 'closed' },
        el('td', {}, shortShard(shard.shardId)),
        el('td', {}, bars(shard.throughput, info.bucketMs, info.windowMs)),
        el('td', { class: 'num' }, last ? rate(last.userRecordsPerSecond) : '–'),
        el('td', { class: 'num' }, last ? rate(last.recordsPerSecond) : '–'),
        el('td', { class: 'num' }, last ? `${bytes(last.bytesPerSecond)}/s` : '–'),
      );
    });
  document.querySelector('#throughput tbody').replaceChildren(...rows);
}

function renderProblems(snapshot) {
  const list = document.getElementById('problems');
  list.hidden = snapshot.problems.length === 0;
  list.replaceChildren(...snapshot.problems.map((problem) => el('li', { 'data-source': problem.source }, `${problem.message} (for ${duration(Math.max(0, snapshot.takenAtMs - problem.sinceMs))})`)));
}

function render(snapshot) {
  document.getElementById('target').textContent = `stream ${snapshot.streamName} · application ${snapshot.applicationName}`;
  renderProblems(snapshot);
  renderLineage(snapshot);
  renderShards(snapshot);
  renderWorkers(snapshot);
  renderThroughput(snapshot);
  const calls = snapshot.calls.map((call) => `${call.operation} ${call.perMinute}`).join(', ') || 'none yet';
  document.getElementById('footer').textContent = `Reads the shards and the lease table every ${duration(snapshot.refreshIntervalMs)}. AWS calls this dashboard sent in the last minute: ${calls}.`;
  document.body.dataset.updatedAt = String(snapshot.takenAtMs);
}

function connect() {
  const status = document.getElementById('status');
  const events = new EventSource('api/events');
  events.addEventListener('snapshot', (event) => {
    render(JSON.parse(event.data));
    status.dataset.state = 'live';
    status.textContent = `live · updated ${new Date().toLocaleTimeString()}`;
  });
  events.addEventListener('error', () => {
    status.dataset.state = 'reconnecting';
    status.textContent = 'connection lost · reconnecting…';
  });
}

connect();
