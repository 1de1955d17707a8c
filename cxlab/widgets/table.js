// The browser side of cxlab.widgets.table.TableView: one widget model draws the whole table.
//
// The kernel is the single source of truth. This view only draws the synced traits (fields,
// rows, notes, row_label, add_label) and sends what the learner did as a message:
//   {action: "edit", row, key, value}   a cell was left after a change (the "change" event)
//   {action: "add"} | {action: "up", row} | {action: "delete", row}
// The kernel validates, saves, updates the traits and answers {redraw: true, focus: …}, so a
// value it corrected (a number out of range) is drawn again even if the traits did not change.

let serial = 0;

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "className" || name === "textContent" || name === "type") node[name] = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function shown(field, value) {
  // what an input shows for a stored value
  if (value === null || value === undefined) return "";
  return String(value);
}

function render({ model, el }) {
  const id = `cxlab-table-${++serial}-${Math.random().toString(36).slice(2, 8)}`;
  const table = element("table", { className: "cxlab-table" });
  const colgroup = element("colgroup");
  const head = element("thead");
  const body = element("tbody");
  table.append(colgroup, head, body);
  const frame = element("div", { className: "cxlab-table-frame" }, table);
  const lists = element("div", { className: "cxlab-table-lists" });
  const add = element("button", { type: "button", className: "cxlab-table-button cxlab-table-add" });
  add.addEventListener("click", () => model.send({ action: "add" }));
  el.classList.add("cxlab-table-view");
  el.append(frame, lists, add);

  let signature = null; // the fields the head was drawn for
  const lines = []; // one per row: {row, note, inputs, up, remove}

  function fields() {
    return model.get("fields");
  }

  function label(index) {
    return `${model.get("row_label")} ${index + 1}`;
  }

  function drawHead() {
    colgroup.replaceChildren();
    head.replaceChildren();
    lists.replaceChildren();
    const cells = [];
    for (const field of fields()) {
      colgroup.append(element("col", { style: `width:${field.width}` }));
      const th = element("th", { scope: "col", style: `min-width:${field.min_width}` });
      th.innerHTML = field.header; // escaped by the kernel (Field.header)
      cells.push(th);
      if (field.kind === "combo") {
        lists.append(element("datalist", { id: `${id}-${field.key}` }));
      }
    }
    colgroup.append(element("col", { className: "cxlab-table-buttons" }));
    const actions = element("th", { scope: "col", className: "cxlab-table-buttons" });
    actions.append(element("span", { className: "cxlab-sr-only" }, "Действия"));
    head.append(element("tr", {}, ...cells, actions));
    for (const line of lines.splice(0)) {
      line.row.remove();
      line.note.remove();
    }
  }

  function drawLists() {
    for (const field of fields()) {
      if (field.kind !== "combo") continue;
      const list = lists.querySelector(`[id="${id}-${field.key}"]`);
      const options = field.options.map((option) => element("option", { value: option }));
      list.replaceChildren(...options);
    }
  }

  function control(field, index) {
    let input;
    if (field.kind === "choice") {
      input = element("select", {});
      field.options.forEach(([text], position) => {
        input.append(element("option", { value: String(position) }, text));
      });
    } else {
      input = element("input", { type: field.kind === "int" || field.kind === "float" ? "number" : "text" });
      if (field.placeholder) input.placeholder = field.placeholder;
      if (field.kind === "combo") input.setAttribute("list", `${id}-${field.key}`);
      if (input.type === "number") {
        if (field.minimum !== null) input.min = String(field.minimum);
        if (field.maximum !== null) input.max = String(field.maximum);
        input.step = field.kind === "int" ? "1" : "any";
      }
    }
    input.className = "cxlab-table-input";
    input.dataset.key = field.key;
    input.addEventListener("change", () => {
      let value = input.value;
      if (field.kind === "choice") {
        value = Number(input.value); // the option's position; the kernel knows its value
      } else if (input.type === "number") {
        value = input.value.trim() === "" ? NaN : Number(input.value);
        if (!Number.isFinite(value)) {
          input.value = input.dataset.shown; // not a number: back to the saved one
          return;
        }
      }
      input.dataset.shown = input.value; // committed: the kernel's answer may redraw it
      model.send({ action: "edit", row: index, key: field.key, value });
    });
    return input;
  }

  function addLine(index) {
    const inputs = fields().map((field) => control(field, index));
    const up = element("button", { type: "button", className: "cxlab-table-button cxlab-table-up" }, "↑");
    up.addEventListener("click", () => model.send({ action: "up", row: index }));
    const remove = element(
      "button",
      { type: "button", className: "cxlab-table-button cxlab-table-delete" },
      "Удалить",
    );
    remove.addEventListener("click", () => model.send({ action: "delete", row: index }));
    const row = element(
      "tr",
      { className: "cxlab-table-row" },
      ...inputs.map((input) => element("td", {}, input)),
      element("td", { className: "cxlab-table-buttons" }, up, remove),
    );
    const noteCell = element("td", { colspan: String(inputs.length + 1) });
    const note = element("tr", { className: "cxlab-table-note" }, noteCell);
    body.append(row, note);
    lines.push({ row, note, noteCell, inputs, up, remove });
  }

  function put(input, field, value) {
    let text;
    if (field.kind === "choice") {
      const wanted = JSON.stringify(value);
      text = String(field.options.findIndex(([, v]) => JSON.stringify(v) === wanted));
    } else {
      text = shown(field, value);
    }
    // A field the learner is typing in (focused, changed, not yet left) keeps their text.
    const typing = document.activeElement === input && input.value !== input.dataset.shown;
    if (!typing) {
      if (input.value !== text) input.value = text;
      input.dataset.shown = text;
    }
  }

  function draw() {
    const spec = fields();
    // combo suggestions change as the learner types (IdeaBoard): they redraw the lists only
    const now = JSON.stringify(spec.map((f) => (f.kind === "combo" ? { ...f, options: [] } : f)));
    if (now !== signature) {
      signature = now;
      drawHead();
    }
    drawLists();
    const rows = model.get("rows");
    const notes = model.get("notes");
    while (lines.length < rows.length) addLine(lines.length);
    while (lines.length > rows.length) {
      const line = lines.pop();
      line.row.remove();
      line.note.remove();
    }
    rows.forEach((values, index) => {
      const line = lines[index];
      spec.forEach((field, column) => {
        const input = line.inputs[column];
        put(input, field, values[field.key]);
        input.setAttribute("aria-label", `${label(index)}: ${field.label}`);
      });
      line.up.disabled = index === 0; // nothing above the first row: out of the tab order
      line.up.title = "Переместить выше";
      line.up.setAttribute("aria-label", `Переместить выше: ${label(index)}`);
      line.remove.title = `Удалить строку ${index + 1}`;
      line.remove.setAttribute("aria-label", `Удалить: ${label(index)}`);
      const note = notes[index] || "";
      if (line.noteCell.innerHTML !== note) line.noteCell.innerHTML = note; // built by the kernel
      line.note.hidden = note === "";
    });
    add.textContent = `+ ${model.get("add_label")}`;
    add.title = model.get("add_label");
  }

  function focus(target) {
    if (!target) return;
    if (target.part === "add") return add.focus();
    const line = lines[target.row];
    if (!line) return add.focus();
    const part = { cell: line.inputs[0], up: line.up, delete: line.remove }[target.part];
    (part && !part.disabled ? part : line.remove).focus();
  }

  const redraw = () => draw();
  for (const name of ["fields", "rows", "notes", "row_label", "add_label"]) {
    model.on(`change:${name}`, redraw);
  }
  const answer = (message) => {
    if (message && message.redraw) {
      draw();
      focus(message.focus);
    }
  };
  model.on("msg:custom", answer);
  draw();
  return () => {
    for (const name of ["fields", "rows", "notes", "row_label", "add_label"]) {
      model.off(`change:${name}`, redraw);
    }
    model.off("msg:custom", answer);
  };
}

export default { render };
