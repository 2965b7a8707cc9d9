// The spectra viewer: reference spectra by class, and classification of a user's spectrum.
//
// Talks only to the HTTP API next to it (relative URLs, so the page also works behind a
// path prefix): GET v1/classes, GET v1/reference-spectra, POST v1/classify, GET
// v1/demeo-templates (the Bus-DeMeo template a vis-NIR spectrum is drawn over), and after a
// classification POST v1/neighbours and GET v1/latent-space. Text from the
// server or the user goes into the DOM with textContent only, and into Plotly labels
// HTML-escaped (Plotly renders a subset of HTML in labels).
"use strict";

(() => {
  const GROUPS = ["C", "S", "X", "Other"];
  const GROUP_COLOURS = { C: "#2b6cb0", S: "#c05621", X: "#6b46c1", Other: "#2f855a" };
  const STATS_WAVELENGTHS = [0.45, 0.7, 0.9]; // µm
  const NORMALISATION_WAVELENGTH = 0.55; // µm, as the reference spectra
  const NIR_NORMALISATION_WAVELENGTH = 1.2; // µm, for spectra without the visible
  const THRESHOLD = 0.5; // the models' abstention threshold
  const TOP_BUS = 5;
  // Colours of the nearest reference spectra (Okabe & Ito's colour-blind-safe palette).
  const NEIGHBOUR_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00"];
  const PLOT_CONFIG = { responsive: true, displaylogo: false };

  const $ = (id) => document.getElementById(id);
  const state = {
    busToGroup: {}, // Bus class -> main group, from v1/classes
    busClasses: [],
    references: new Map(), // "group:S" / "bus:Sq" -> promise of v1/reference-spectra
    referenceRequest: 0, // latest selection; older answers are dropped
    lastInput: null, // "file" or "paste": the input the user changed last
    latentSpace: null, // promise of v1/latent-space, fetched once
    classifyRequest: 0, // latest classification; older neighbour answers are dropped
  };

  // ---------------------------------------------------------------- helpers

  /** Escape text for Plotly labels (they understand a subset of HTML). */
  function plotlyText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function colourOf(label) {
    const name = String(label).replace(/\*$/, "");
    return GROUP_COLOURS[name] || GROUP_COLOURS[state.busToGroup[name]] || "#4a5568";
  }

  function rgba(hex, alpha) {
    const value = parseInt(hex.slice(1), 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }

  const finite = (value) => typeof value === "number" && Number.isFinite(value);
  const percent = (value) => (finite(value) ? `${(100 * value).toFixed(1)} %` : "–");
  const fixed = (value, digits) => (finite(value) ? value.toFixed(digits) : "–");

  function plotlyReady() {
    return typeof window.Plotly !== "undefined";
  }

  /** Readable message from an API error body (FastAPI's "detail", string or list). */
  function describeError(status, body, text) {
    if (body && typeof body === "object") {
      const detail = body.detail !== undefined ? body.detail : body.error;
      if (typeof detail === "string") return detail;
      if (Array.isArray(detail)) {
        return detail
          .map((item) => {
            if (typeof item === "string") return item;
            const where = Array.isArray(item.loc)
              ? item.loc.filter((part) => part !== "body").join(" → ")
              : "";
            return where ? `${where}: ${item.msg}` : String(item.msg);
          })
          .join("\n");
      }
      if (detail && typeof detail === "object" && typeof detail.message === "string") {
        return detail.message;
      }
    }
    const excerpt = text ? `: ${text.slice(0, 300)}` : ".";
    return `The server answered with status ${status}${excerpt}`;
  }

  async function getJSON(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      throw new Error(`Could not reach the server (${error.message}); is it still running?`);
    }
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!response.ok) throw new Error(describeError(response.status, body, text));
    if (body === null) throw new Error(`The server sent no JSON for ${url}.`);
    return body;
  }

  // ------------------------------------------------------- reference spectra

  function reference(key) {
    if (!state.references.has(key)) {
      const [kind, name] = splitKey(key);
      const request =
        kind === "demeo"
          ? getJSON(`v1/demeo-templates?demeo_class=${encodeURIComponent(name)}`)
          : getJSON(`v1/reference-spectra?${kind === "group" ? "group" : "bus_class"}=${encodeURIComponent(name)}`);
      request.catch(() => state.references.delete(key)); // retry next time
      state.references.set(key, request);
    }
    return state.references.get(key);
  }

  function splitKey(key) {
    const at = key.indexOf(":");
    return [key.slice(0, at), key.slice(at + 1)];
  }

  function bandTraces(wavelength, mean, std, colour, label) {
    const lower = mean.map((m, i) => (finite(m) && finite(std[i]) ? m - std[i] : null));
    const upper = mean.map((m, i) => (finite(m) && finite(std[i]) ? m + std[i] : null));
    return [
      {
        type: "scatter",
        mode: "lines",
        x: wavelength,
        y: lower,
        line: { width: 0, color: colour },
        hoverinfo: "skip",
        showlegend: false,
      },
      {
        type: "scatter",
        mode: "lines",
        x: wavelength,
        y: upper,
        fill: "tonexty",
        fillcolor: rgba(colour, 0.22),
        line: { width: 0, color: colour },
        hoverinfo: "skip",
        name: `${plotlyText(label)} mean ± 1σ`,
      },
      {
        type: "scatter",
        mode: "lines",
        x: wavelength,
        y: mean,
        line: { width: 3, color: colour },
        name: `${plotlyText(label)} mean`,
        hovertemplate: `${plotlyText(label)} mean<br>%{x:.2f} µm: %{y:.3f}<extra></extra>`,
      },
    ];
  }

  function axes(title) {
    return {
      title: { text: title, font: { size: 15 } },
      xaxis: { title: { text: "Wavelength (µm)" }, zeroline: false },
      yaxis: { title: { text: "Reflectance (unity at 0.55 µm)" }, zeroline: false },
      margin: { l: 60, r: 20, t: 50, b: 50 },
      legend: { x: 0.01, y: 0.99, bgcolor: "rgba(255,255,255,0.7)" },
      hovermode: "closest",
      paper_bgcolor: "rgba(0,0,0,0)",
    };
  }

  function drawReference(key, data) {
    const [, name] = splitKey(key);
    const colour = colourOf(name);
    const count = data.spectra.length;
    const spectra = data.spectra.map((spectrum, index) => ({
      type: "scatter",
      mode: "lines",
      x: data.wavelength,
      y: spectrum.reflectance,
      line: { width: 0.8, color: colour },
      opacity: 0.25,
      name: `spectra (${count})`,
      legendgroup: "spectra",
      showlegend: index === 0,
      customdata: data.wavelength.map(() => plotlyText(`${spectrum.name} (${spectrum.bus_class})`)),
      hovertemplate: "%{customdata}<br>%{x:.2f} µm: %{y:.3f}<extra></extra>",
    }));
    const traces = [...spectra, ...bandTraces(data.wavelength, data.mean, data.std, colour, name)];
    const kind = key.startsWith("group:") ? "Main group" : "Bus class";
    const plot = $("spectra-plot");
    window.Plotly.react(plot, traces, axes(`${kind} ${plotlyText(name)}: ${count} spectra`), PLOT_CONFIG);
    plot.dataset.shown = key;
  }

  function valueAt(wavelength, values, target) {
    for (let i = 0; i < wavelength.length - 1; i += 1) {
      const [a, b] = [wavelength[i], wavelength[i + 1]];
      if (target >= a - 1e-9 && target <= b + 1e-9) {
        if (!finite(values[i]) || !finite(values[i + 1])) {
          return Math.abs(target - a) < 1e-9 ? values[i] : Math.abs(target - b) < 1e-9 ? values[i + 1] : null;
        }
        return values[i] + ((values[i + 1] - values[i]) * (target - a)) / (b - a);
      }
    }
    return null;
  }

  /** Least-squares slope (per µm) of one spectrum over its finite points. */
  function slope(wavelength, values) {
    const points = wavelength.map((w, i) => [w, values[i]]).filter(([, v]) => finite(v));
    if (points.length < 2) return null;
    const mx = points.reduce((s, [w]) => s + w, 0) / points.length;
    const my = points.reduce((s, [, v]) => s + v, 0) / points.length;
    let sxy = 0;
    let sxx = 0;
    for (const [w, v] of points) {
      sxy += (w - mx) * (v - my);
      sxx += (w - mx) ** 2;
    }
    return sxx > 0 ? sxy / sxx : null;
  }

  function meanStd(values) {
    const kept = values.filter(finite);
    if (!kept.length) return [null, null];
    const mean = kept.reduce((s, v) => s + v, 0) / kept.length;
    const variance = kept.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(kept.length - 1, 1);
    return [mean, Math.sqrt(variance)];
  }

  function drawStats(key, data) {
    const [kind, name] = splitKey(key);
    const stats = $("stats");
    const table = element("table");
    const row = (label, value) => {
      const tr = element("tr");
      tr.append(element("th", label), element("td", value));
      table.append(tr);
    };
    row("Spectra", data.spectra.length);
    if (kind === "bus" && state.busToGroup[name]) row("Main group", state.busToGroup[name]);
    for (const target of STATS_WAVELENGTHS) {
      const mean = valueAt(data.wavelength, data.mean, target);
      const std = valueAt(data.wavelength, data.std, target);
      row(`Mean reflectance at ${target.toFixed(2)} µm`, `${fixed(mean, 3)} ± ${fixed(std, 3)}`);
    }
    const slopes = data.spectra.map((spectrum) => slope(data.wavelength, spectrum.reflectance));
    const [slopeMean, slopeStd] = meanStd(slopes);
    row("Mean slope (µm⁻¹)", `${fixed(slopeMean, 3)} ± ${fixed(slopeStd, 3)}`);
    const first = data.wavelength[0];
    const last = data.wavelength[data.wavelength.length - 1];
    stats.replaceChildren(
      element("h3", `${kind === "group" ? "Main group" : "Bus class"} ${name}`),
      table,
      element("p", `Values: mean ± 1σ over the class; slope of a straight-line fit over ${fixed(first, 2)}–${fixed(last, 2)} µm.`, "hint"),
    );
  }

  async function showReference(key) {
    const request = ++state.referenceRequest;
    const status = $("reference-status");
    status.textContent = "Loading…";
    status.classList.remove("bad");
    try {
      const data = await reference(key);
      if (request !== state.referenceRequest) return; // a newer selection won
      if (plotlyReady()) drawReference(key, data);
      drawStats(key, data);
      status.textContent = "";
    } catch (error) {
      if (request !== state.referenceRequest) return;
      status.textContent = `Could not load the reference spectra: ${error.message}`;
      status.classList.add("bad");
    }
  }

  async function loadClasses() {
    const data = await getJSON("v1/classes");
    state.busToGroup = { ...(data.bus_to_main_group || {}) };
    const bus = Array.isArray(data.bus_classes) ? data.bus_classes : Object.keys(state.busToGroup);
    state.busClasses = bus;
    const busCounts = data.bus_class_counts || {};
    const groupCounts = data.main_group_counts || {};
    const label = (name, count) => (finite(count) ? `${name} (${count})` : name);
    for (const option of $("main-group-options").querySelectorAll("option")) {
      const name = splitKey(option.value)[1];
      option.textContent = label(name, groupCounts[name]);
    }
    const group = $("bus-class-options");
    group.replaceChildren(
      ...bus
        .filter((name) => !finite(busCounts[name]) || busCounts[name] > 0)
        .map((name) => {
          const option = element("option", label(name, busCounts[name]));
          option.value = `bus:${name}`;
          return option;
        }),
    );
  }

  // ------------------------------------------------------------ classifying

  /**
   * Numbers of each line of a two- or three-column text: wavelength, reflectance[, error].
   * Comment lines (#, %, //) and a header are ignored; rows with non-numbers are counted.
   */
  function parseColumns(text) {
    const rows = [];
    let skipped = 0;
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || /^(#|%|!|\/\/|;)/.test(line)) continue;
      const numbers = line.split(/[\s,;]+/).filter(Boolean).slice(0, 3).map(Number);
      if (numbers.length >= 2 && finite(numbers[0]) && finite(numbers[1])) {
        rows.push(numbers);
      } else if (rows.length > 0 || numbers.some(finite)) {
        skipped += 1; // a junk row (a text header before the data is not counted)
      }
    }
    rows.sort((a, b) => a[0] - b[0]);
    const withError = rows.length > 0 && rows.every((r) => r.length === 3 && finite(r[2]) && r[2] >= 0);
    return {
      wavelength: rows.map((r) => r[0]),
      reflectance: rows.map((r) => r[1]),
      error: withError ? rows.map((r) => r[2]) : null,
      skipped,
    };
  }

  /** How many µm one unit of these wavelengths is, guessed as the server does. */
  function micronsPerUnit(wavelength) {
    const lo = Math.min(...wavelength);
    const hi = Math.max(...wavelength);
    if (lo >= 0.1 && hi <= 6) return 1;
    if (lo >= 100 && hi <= 2600) return 1e-3;
    if (lo >= 2500 && hi <= 60000) return 1e-4;
    return null;
  }

  /** The user's spectrum in µm, unity at 0.55 µm (as the templates), or null. */
  /** The spectrum in µm, unity at 0.55 µm or, for a near-infrared one, at 1.2 µm (`at`). */
  function normalised(parsed) {
    if (!parsed || parsed.wavelength.length < 2) return null;
    const scale = micronsPerUnit(parsed.wavelength);
    if (scale === null) return null;
    const wavelength = parsed.wavelength.map((w) => w * scale);
    for (const at of [NORMALISATION_WAVELENGTH, NIR_NORMALISATION_WAVELENGTH]) {
      const near = parsed.reflectance.filter((_, i) => Math.abs(wavelength[i] - at) <= 0.005);
      const unity = near.length >= 2 ? near.reduce((s, v) => s + v, 0) / near.length : valueAt(wavelength, parsed.reflectance, at);
      if (!finite(unity) || unity <= 0) continue;
      return {
        wavelength,
        reflectance: parsed.reflectance.map((v) => v / unity),
        error: parsed.error ? parsed.error.map((v) => v / unity) : null,
        at,
      };
    }
    return null;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    const box = $("error");
    box.textContent = "";
    box.hidden = true;
  }

  function describeSource() {
    const file = $("file-input").files[0];
    const pasted = $("paste-input").value.trim();
    const source = chosenInput(file, pasted);
    $("input-source").textContent =
      source === "file" ? `Will classify the file ${file.name}.` : source === "paste" ? "Will classify the pasted columns." : "";
  }

  function chosenInput(file, pasted) {
    if (state.lastInput === "file" && file) return "file";
    if (state.lastInput === "paste" && pasted) return "paste";
    if (file) return "file";
    if (pasted) return "paste";
    return null;
  }

  async function buildRequest() {
    const file = $("file-input").files[0];
    const pasted = $("paste-input").value;
    const source = chosenInput(file, pasted.trim());
    if (source === "file") {
      const form = new FormData();
      form.append("file", file, file.name);
      let parsed = null;
      try {
        parsed = parseColumns(await file.text());
      } catch {
        parsed = null; // only used to draw it and find its neighbours; the server reads the file
      }
      return { options: { method: "POST", body: form }, parsed, notes: [], spectrum: columnsOf(parsed, file.name) };
    }
    if (source === "paste") {
      const parsed = parseColumns(pasted);
      if (parsed.wavelength.length === 0) {
        throw new Error(
          "No row with a wavelength and a reflectance found in the pasted text. Paste one row per " +
            "wavelength with two or three numbers: wavelength, reflectance and optionally its error, " +
            "separated by spaces, tabs or commas.",
        );
      }
      const spectrum = {
        name: "pasted spectrum",
        wavelength: parsed.wavelength,
        reflectance: parsed.reflectance,
        unit: null,
      };
      if (parsed.error) spectrum.error = parsed.error;
      const notes = parsed.skipped ? [`${parsed.skipped} pasted line(s) without two numbers were skipped.`] : [];
      return {
        options: {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ spectra: [spectrum] }),
        },
        parsed,
        notes,
        spectrum: columnsOf(parsed, spectrum.name),
      };
    }
    throw new Error("Choose a spectrum file or paste two or three columns first.");
  }

  /** The body of v1/neighbours: wavelength and reflectance (errors are not used there). */
  function columnsOf(parsed, name) {
    if (!parsed || parsed.wavelength.length === 0) return null;
    return { name, wavelength: parsed.wavelength, reflectance: parsed.reflectance, unit: null };
  }

  function templateKey(result) {
    // A spectrum reaching the near infrared is drawn over its Bus-DeMeo template.
    const demeo = result.demeo_class ? result.demeo_class.replace(/w$/, "") : null;
    if (demeo) return `demeo:${demeo}`; // every class the models know has a template
    const bus = result.bus_class;
    if (bus && !bus.endsWith("*") && state.busClasses.includes(bus)) return `bus:${bus}`;
    return `group:${result.main_group}`;
  }

  function detail(list, term, value, warn) {
    const dd = element("dd", value, warn ? "warn" : "");
    list.append(element("dt", term), dd);
  }

  function showSummary(result, notes) {
    $("result-main-group").textContent = result.main_group || "–";
    $("result-bus-class").textContent = result.bus_class || "–";
    const mainProbability = $("result-main-group-probability");
    mainProbability.textContent = percent(result.main_group_probability) + (result.uncertain ? " · uncertain" : "");
    mainProbability.classList.toggle("uncertain", Boolean(result.uncertain));
    const busProbability = $("result-bus-probability");
    busProbability.textContent = result.bus_class
      ? percent(result.bus_probability) + (result.bus_uncertain ? " · uncertain" : "")
      : "not predicted by this model";
    busProbability.classList.toggle("uncertain", Boolean(result.bus_uncertain));

    const list = $("result-details");
    list.replaceChildren();
    detail(list, "Source", result.source);
    for (const [field, title] of [["demeo", "Bus-DeMeo class"], ["tholen", "Tholen class"]]) {
      const label = result[`${field}_class`];
      if (!label) continue;
      const doubtful = Boolean(result[`${field}_uncertain`]);
      detail(list, title, `${label} (${percent(result[`${field}_probability`])}${doubtful ? " · uncertain" : ""})`, doubtful);
    }
    detail(
      list,
      "Uncertain",
      result.uncertain ? `yes: main-group probability below ${THRESHOLD}` : "no",
      result.uncertain,
    );
    const ood = result.ood_score;
    detail(
      list,
      "OOD score",
      finite(ood) ? `${ood.toFixed(2)}${ood > 1 ? " (unlike the training spectra: an extrapolation)" : ""}` : "–",
      finite(ood) && ood > 1,
    );
    detail(
      list,
      "Wavelength range used",
      `${fixed(result.wavelength_min, 3)}–${fixed(result.wavelength_max, 3)} µm` +
        (finite(result.n_points) ? ` (${result.n_points} grid points)` : ""),
    );
    if (result.model) detail(list, "Model", result.model);

    $("result-notes").replaceChildren(...[...notes, ...(result.notes || [])].map((note) => element("li", note)));
  }

  function drawProbabilities(result) {
    const groups = GROUPS.filter((g) => g in (result.probabilities || {}));
    const traces = [
      {
        type: "bar",
        x: groups,
        y: groups.map((g) => result.probabilities[g]),
        marker: { color: groups.map((g) => GROUP_COLOURS[g]) },
        text: groups.map((g) => percent(result.probabilities[g])),
        textposition: "outside",
        hovertemplate: "%{x}: %{y:.1%}<extra></extra>",
        xaxis: "x",
        yaxis: "y",
        name: "main group",
      },
    ];
    const bus = Object.entries(result.bus_probabilities || {})
      .filter(([, p]) => finite(p))
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_BUS);
    const layout = {
      title: { text: "Probabilities", font: { size: 15 } },
      showlegend: false,
      margin: { l: 50, r: 20, t: 60, b: 40 },
      yaxis: { range: [0, 1.15], tickformat: ".0%", title: { text: "probability" } },
      xaxis: { title: { text: "main group" }, type: "category" },
      shapes: [
        { type: "line", xref: "x domain", yref: "y", x0: 0, x1: 1, y0: THRESHOLD, y1: THRESHOLD, line: { dash: "dot", width: 1, color: "#718096" } },
      ],
      paper_bgcolor: "rgba(0,0,0,0)",
    };
    if (bus.length) {
      traces.push({
        type: "bar",
        x: bus.map(([name]) => plotlyText(name)),
        y: bus.map(([, p]) => p),
        marker: { color: bus.map(([name]) => colourOf(name)) },
        text: bus.map(([, p]) => percent(p)),
        textposition: "outside",
        hovertemplate: "%{x}: %{y:.1%}<extra></extra>",
        xaxis: "x2",
        yaxis: "y2",
        name: "Bus class",
      });
      layout.grid = { rows: 1, columns: 2, pattern: "independent" };
      layout.yaxis2 = { range: [0, 1.15], tickformat: ".0%" };
      layout.xaxis2 = { title: { text: `top ${bus.length} Bus classes` }, type: "category" };
      layout.shapes.push({ type: "line", xref: "x2 domain", yref: "y2", x0: 0, x1: 1, y0: THRESHOLD, y1: THRESHOLD, line: { dash: "dot", width: 1, color: "#718096" } });
    }
    window.Plotly.react($("proba-plot"), traces, layout, PLOT_CONFIG);
  }

  async function drawComparison(result, user) {
    const key = templateKey(result);
    const [kind, name] = splitKey(key);
    const template = await reference(key);
    const colour = colourOf(name);
    // A near-infrared spectrum is normalised at 1.2 µm: so is the template it is drawn on.
    const at = user ? user.at : NORMALISATION_WAVELENGTH;
    const unity = at === NORMALISATION_WAVELENGTH ? 1 : valueAt(template.wavelength, template.mean, at);
    const scaled = (values) => values.map((v) => (finite(v) && finite(unity) && unity > 0 ? v / unity : v));
    const traces = bandTraces(template.wavelength, scaled(template.mean), scaled(template.std), colour, name);
    const title = { group: "main group", bus: "Bus class", demeo: "Bus-DeMeo class" }[kind];
    const layout = axes(`Your spectrum over the ${title} ${plotlyText(name)} template`);
    if (at !== NORMALISATION_WAVELENGTH) layout.yaxis.title.text = `Reflectance (unity at ${at} µm)`;
    if (user) {
      const dense = user.wavelength.length > 120;
      const trace = {
        type: "scatter",
        mode: dense ? "lines" : "lines+markers",
        x: user.wavelength,
        y: user.reflectance,
        line: { width: dense ? 1 : 1.5, color: "#1a202c" },
        marker: { size: 4 },
        name: plotlyText(result.source || "your spectrum"),
        hovertemplate: "%{x:.3f} µm: %{y:.3f}<extra></extra>",
      };
      if (user.error && !dense) trace.error_y = { type: "data", array: user.error, visible: true, thickness: 1, width: 0 };
      traces.push(trace);
    }
    if (finite(result.wavelength_min) && finite(result.wavelength_max)) {
      layout.shapes = [
        {
          type: "rect", xref: "x", yref: "paper", x0: result.wavelength_min, x1: result.wavelength_max, y0: 0, y1: 1,
          fillcolor: "rgba(113, 128, 150, 0.08)", line: { width: 0 }, layer: "below",
        },
      ];
      layout.annotations = [
        { xref: "x", yref: "paper", x: (result.wavelength_min + result.wavelength_max) / 2, y: 1, yanchor: "bottom", text: "range used", showarrow: false, font: { size: 11, color: "#5b6573" } },
      ];
    }
    window.Plotly.react($("result-plot"), traces, layout, PLOT_CONFIG);
  }

  async function classify() {
    const button = $("classify-button");
    button.disabled = true;
    clearError();
    const resultBox = $("result");
    resultBox.dataset.state = "running";
    const request = ++state.classifyRequest;
    resetExplore();
    try {
      const { options, parsed, notes, spectrum } = await buildRequest();
      const answer = await getJSON("v1/classify", options);
      const result = answer && Array.isArray(answer.results) ? answer.results[0] : null;
      if (!result) throw new Error("The server answered without a classification result.");
      if (result.error) {
        resultBox.hidden = true;
        resultBox.dataset.state = "error";
        showError(`${result.source ? `${result.source}: ` : ""}${result.error}`);
        return;
      }
      const user = normalised(parsed);
      if (parsed && !user) notes.push("Your spectrum is not drawn: its unit or its value at 0.55 µm could not be read here.");
      showSummary(result, notes);
      resultBox.hidden = false;
      if (plotlyReady()) {
        drawProbabilities(result);
        await drawComparison(result, user);
      }
      resultBox.dataset.state = "done";
      // The nearest SMASSII spectra need the visible: not asked for a near-infrared one.
      const visible = result.wavelength_min <= 0.55 + 1e-9 && result.wavelength_max >= 0.8 - 1e-9;
      const skip = visible ? null : `they are visible spectra, and this one does not cover 0.55–0.80 µm.`;
      explore(visible ? spectrum : null, request, skip).catch((error) => {
        const status = $("neighbours-status");
        status.textContent = `Could not show the nearest reference spectra: ${error.message}`;
        status.classList.add("bad");
        $("neighbours").dataset.state = "error";
      }); // not awaited: it has its own state, #neighbours[data-state]
    } catch (error) {
      resultBox.hidden = true;
      resultBox.dataset.state = "error";
      showError(error.message);
    } finally {
      button.disabled = false;
    }
  }

  // ------------------------------------------------- neighbours and latent space

  function latentSpace() {
    if (state.latentSpace === null) {
      const request = getJSON("v1/latent-space");
      request.catch(() => {
        state.latentSpace = null; // retry next time
      });
      state.latentSpace = request;
    }
    return state.latentSpace;
  }

  function resetExplore() {
    const list = $("neighbours");
    list.replaceChildren();
    list.dataset.state = "";
    const status = $("neighbours-status");
    status.textContent = "";
    status.classList.remove("bad");
  }

  /** Break a note into lines of about `width` characters for a Plotly annotation. */
  function wrap(text, width) {
    const lines = [];
    let line = "";
    for (const word of String(text).split(/\s+/)) {
      if (line && line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(line);
    return lines.map(plotlyText).join("<br>");
  }

  function showNeighbours(neighbours) {
    $("neighbours").replaceChildren(
      ...neighbours.map((neighbour, index) => {
        const item = element("li");
        const swatch = element("span", null, "swatch");
        swatch.style.backgroundColor = NEIGHBOUR_COLOURS[index % NEIGHBOUR_COLOURS.length];
        item.append(
          swatch,
          element("span", neighbour.name, "name"),
          " ",
          element("span", neighbour.bus_class, "bus-class"),
          " ",
          element("span", fixed(neighbour.distance, 4), "distance"),
        );
        item.title = `${neighbour.name}: Bus class ${neighbour.bus_class}, main group ${neighbour.main_group}; RMS difference ${fixed(neighbour.distance, 4)}`;
        return item;
      }),
    );
  }

  /** Add the nearest reference spectra to the result plot as thin lines. */
  function drawNeighbours(answer) {
    const traces = answer.neighbours.map((neighbour, index) => ({
      type: "scatter",
      mode: "lines",
      x: answer.wavelength,
      y: neighbour.reflectance,
      line: { width: 1.2, color: NEIGHBOUR_COLOURS[index % NEIGHBOUR_COLOURS.length] },
      name: plotlyText(`${neighbour.name} (${neighbour.bus_class})`),
      legendgroup: "neighbours",
      hovertemplate: `${plotlyText(neighbour.name)} (${plotlyText(neighbour.bus_class)})<br>%{x:.2f} µm: %{y:.3f}<extra></extra>`,
    }));
    const plot = $("result-plot");
    window.Plotly.addTraces(plot, traces);
    // Nine legend entries: below the plot, which grows to make room.
    window.Plotly.relayout(plot, {
      legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top", traceorder: "normal", font: { size: 11 } },
      "margin.b": 150,
      height: 560,
    });
  }

  /** The reference spectra by main group in the latent space, and the user's spectrum. */
  function drawLatent(space, answer, why) {
    const traces = GROUPS.map((group) => {
      const rows = [];
      space.main_group.forEach((name, i) => {
        if (name === group && finite(space.x[i]) && finite(space.y[i])) rows.push(i);
      });
      return {
        type: "scatter",
        mode: "markers",
        x: rows.map((i) => space.x[i]),
        y: rows.map((i) => space.y[i]),
        marker: { size: 5, color: GROUP_COLOURS[group], opacity: 0.55 },
        name: `${group} (${rows.length})`,
        customdata: rows.map((i) => plotlyText(`${space.name[i]} (${space.bus_class[i]})`)),
        hovertemplate: "%{customdata}<extra></extra>",
      };
    });
    const layout = {
      title: { text: "Position in the latent space (autoencoder of the SMASSII spectra)", font: { size: 15 } },
      xaxis: { title: { text: "latent 1" }, zeroline: false },
      yaxis: { title: { text: "latent 2" }, zeroline: false },
      margin: { l: 60, r: 20, t: 50, b: 50 },
      legend: { x: 1, xanchor: "right", y: 0.99, bgcolor: "rgba(255,255,255,0.7)" },
      hovermode: "closest",
      paper_bgcolor: "rgba(0,0,0,0)",
    };
    const point = answer && answer.latent;
    if (point && finite(point.x) && finite(point.y)) {
      traces.push({
        type: "scatter",
        mode: "markers",
        x: [point.x],
        y: [point.y],
        marker: { symbol: "star", size: 22, color: "#1a202c", line: { width: 1.5, color: "#ffffff" } },
        name: "your spectrum",
        hovertemplate: "your spectrum<br>(%{x:.2f}, %{y:.2f})<extra></extra>",
      });
    } else {
      layout.annotations = [
        {
          xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false, align: "center",
          bgcolor: "rgba(255,255,255,0.9)", bordercolor: "#d9dee5", borderpad: 6,
          font: { size: 13, color: "#8a5a00" },
          text: wrap(`Your spectrum's position is not available. ${why}`, 60),
        },
      ];
    }
    const plot = $("latent-plot");
    window.Plotly.react(plot, traces, layout, PLOT_CONFIG);
    plot.dataset.star = String(traces.length > GROUPS.length);
  }

  /** Find the nearest reference spectra and the latent position of a classified spectrum. */
  async function explore(spectrum, request, skip = null) {
    const list = $("neighbours");
    const status = $("neighbours-status");
    list.dataset.state = "running";
    status.textContent = "Finding the nearest reference spectra and the latent position (the first time, the server trains the latent map: about 20 s)…";
    const neighbours = spectrum
      ? getJSON("v1/neighbours", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(spectrum),
        })
      : Promise.reject(new Error(skip || "the file could not be read here as two columns of numbers."));
    const [near, space] = await Promise.allSettled([neighbours, latentSpace()]);
    if (request !== state.classifyRequest) return; // a newer classification won
    let why = "";
    if (near.status === "fulfilled") {
      const answer = near.value;
      showNeighbours(answer.neighbours || []);
      if (plotlyReady()) drawNeighbours(answer);
      status.textContent = `By RMS difference over ${fixed(answer.wavelength_min, 2)}–${fixed(answer.wavelength_max, 2)} µm, both spectra unity at 0.55 µm.`;
      const note = (answer.notes || []).find((text) => text.startsWith("No latent position"));
      const reason = note ? note.replace(/^No latent position:\s*/, "") : "";
      why = reason.charAt(0).toUpperCase() + reason.slice(1);
    } else {
      status.textContent = `Could not find the nearest reference spectra: ${near.reason.message}`;
      status.classList.add("bad");
      why = near.reason.message;
    }
    if (plotlyReady()) {
      if (space.status === "fulfilled") {
        drawLatent(space.value, near.status === "fulfilled" ? near.value : null, why);
      } else {
        window.Plotly.purge($("latent-plot"));
        status.textContent += ` The latent space could not be loaded: ${space.reason.message}`;
        status.classList.add("bad");
      }
    }
    list.dataset.state = near.status === "fulfilled" && space.status === "fulfilled" ? "done" : "error";
  }

  // ------------------------------------------------------------------ start

  async function start() {
    const select = $("class-select");
    select.addEventListener("change", () => showReference(select.value));
    $("file-input").addEventListener("change", () => {
      state.lastInput = "file";
      describeSource();
    });
    $("paste-input").addEventListener("input", () => {
      state.lastInput = "paste";
      describeSource();
    });
    $("classify-button").addEventListener("click", classify);
    if (!plotlyReady()) {
      showError("plotly.js did not load (static/plotly.min.js), so no plots can be drawn. Install plotly on the server: pip install 'asteroid-spectra[study]'.");
    }
    try {
      await loadClasses();
    } catch (error) {
      const status = $("reference-status");
      status.textContent = `Could not load the class list: ${error.message}`;
      status.classList.add("bad");
    }
    await showReference(select.value);
    document.body.dataset.ready = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
