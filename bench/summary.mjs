// The summary table of a whole bench run (Node: all.mjs, browser: browser.mjs): one row per
// (workload, threads), median ms per library, peer / ours ratios and the agreement check.
export function summaryLines(results) {
  const libs = ['ours', 'ours-rt', 'tfjs', 'ort'].filter((l) => results.some((r) => r.libs?.[l]));
  const cell = (r, l) => {
    const x = r.libs?.[l];
    if (!x) return '-';
    const perf = x.usPerOp !== undefined ? `${x.usPerOp.toFixed(2)} us/op` : `${x.gflops.toFixed(1)} GF/s`;
    return `${x.median.toFixed(x.median < 10 ? 3 : 1)} ms (${perf})`;
  };
  const peers = libs.filter((l) => l !== 'ours' && l !== 'ours-rt');
  const peerRatio = (r, l) => (r.libs?.[l] && r.libs?.ours ? r.libs[l].median / r.libs.ours.median : null);
  const ratioCols = libs.includes('ours')
    ? peers.map((l) => [`${l}/ours`, (r) => peerRatio(r, l)])
    : [['tfjs/ort', (r) => r.libs?.tfjs && r.libs?.ort ? r.libs.tfjs.median / r.libs.ort.median : null]];
  // The figure of merit: the faster peer's ms / ours ms.
  if (libs.includes('ours') && peers.length > 1) {
    ratioCols.push(['faster peer/ours', (r) => {
      const v = peers.map((l) => peerRatio(r, l)).filter((x) => x != null);
      return v.length ? Math.min(...v) : null;
    }]);
  }
  const head = ['workload', 'thr', ...libs, ...ratioCols.map((c) => c[0]), 'check'];
  const rows = results.map((r) => [
    r.workload, String(r.threads), ...libs.map((l) => cell(r, l)),
    ...ratioCols.map(([, f]) => { const v = f(r); return v == null ? '-' : v.toFixed(2); }),
    r.check ? Object.entries(r.check.diffs).map(([n, d]) => `${n}:${d.ok ? 'ok' : 'MISMATCH'} ${d.maxAbsDiff.toExponential(1)}`).join(' ') || '-' : 'ERR',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c) => '| ' + c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ') + ' |';
  const out = ['## Summary (median ms per inference; ratio > 1 means the first library is slower)', line(head),
    '|' + widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|'];
  for (const r of rows) out.push(line(r));
  for (const r of results.filter((x) => x.errors && Object.keys(x.errors).length)) {
    out.push(`errors in ${r.workload}/t${r.threads}: ${Object.keys(r.errors).join(', ')}`);
  }
  return out;
}
