// The search page's form, over Pagefind's JavaScript API (pagefind/pagefind.js, written by the build).
// Only /search/ loads this script. It builds the form into #search from the page's data (the filters, and
// where Pagefind is); Pagefind itself loads once the reader starts searching. Without JavaScript the page
// has no form, and its links to topics, series and events remain. Every word it shows comes from #search's
// data-* attributes, in the page's language (search.html), and the filters' legends and labels come translated in
// data-filters (search.py); only the topics' names there are content, as contributors wrote them.
const WAIT_AFTER_TYPING_MS = 250;

const root = document.getElementById("search");
const words = root?.dataset ?? {};
const locale = (document.documentElement.dataset.locale || document.documentElement.lang || "en").replace("_", "-");
if (root) start(root);

function element(name, properties = {}, ...children) {
  const made = Object.assign(document.createElement(name), properties);
  made.append(...children);
  return made;
}

// Filters are strangers' words (topic names): they become text, never markup.
function buildForm(filters) {
  const field = element("input", { type: "search", id: "search-query", name: "q", autocomplete: "off" });
  const form = element(
    "form",
    { className: "search-form" },
    element("p", { className: "search-field" }, element("label", { htmlFor: field.id }, words.fieldLabel), field),
  );
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", words.formLabel);
  if (filters.length) {
    const groups = filters.map((filter) =>
      element(
        "fieldset",
        {},
        element("legend", {}, filter.legend),
        ...filter.choices.map((choice) =>
          element(
            "label",
            {},
            element("input", { type: "checkbox", name: filter.key, value: choice.value }),
            " " + choice.label,
          ),
        ),
      ),
    );
    form.append(element("div", { className: "search-filters" }, element("p", { className: "hint" }, words.filtersHint), ...groups));
  }
  return { form, field };
}

function start(root) {
  const { form, field } = buildForm(JSON.parse(root.dataset.filters || "[]"));
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  let pagefind = null;
  let latest = 0;
  let timer = 0;

  // One import, started when the field gets focus (Pagefind's advice), so the index loads while the reader types.
  const load = () => {
    pagefind ??= import(root.dataset.bundle + "pagefind.js").then(async (module) => {
      await module.init();
      return module;
    });
    return pagefind;
  };

  async function run() {
    const ticket = ++latest;
    const query = field.value.trim();
    const filters = chosenFilters(form);
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    try {
      const api = await load();
      const found = await api.search(query || null, { filters });
      const data = await Promise.all(found.results.slice(0, Number(words.shown) || 30).map((result) => result.data()));
      if (ticket !== latest) return; // a newer search has started
      list.replaceChildren(...data.map(resultItem));
      status.textContent = summary(found.results.length, data.length, query, Object.keys(filters).length > 0);
    } catch {
      if (ticket !== latest) return;
      pagefind = null; // try again on the next search
      list.replaceChildren();
      status.textContent = words.unavailable;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  field.addEventListener("focus", () => load().catch(() => {}), { once: true });
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, WAIT_AFTER_TYPING_MS);
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") run();
  });
  root.append(form);
  for (const note of document.querySelectorAll(".search-needs-script")) note.hidden = true;
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    field.value = asked;
    run();
  }
}

// Within one filter any value checked may match; across filters, all must (Pagefind's "any" and its default "all").
function chosenFilters(form) {
  const filters = {};
  for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ??= { any: [] }).any.push(box.value);
  }
  return filters;
}

// The page's sentence for the plural category of the count (data-found-one, data-matched-other…), filled in.
function summary(total, shown, query, filtered) {
  const category = new Intl.PluralRules(locale).select(total);
  const kind = !query ? "matched" : filtered ? "narrowed" : "found";
  const name = (key) => kind + key[0].toUpperCase() + key.slice(1);
  const sentence = (words[name(category)] ?? words[name("other")])
    .replace("{num}", total.toLocaleString(locale))
    .replace("{query}", () => query);
  return total > shown ? `${sentence} ${words.more}` : sentence;
}

function resultItem(data) {
  const link = element("a", { href: data.url }, data.meta.title || data.url);
  const item = element("li", {}, element("h2", {}, link));
  const facts = [data.meta.kind, data.meta.when].filter(Boolean).join(" · ");
  if (facts) item.append(element("p", { className: "hint" }, facts));
  if (data.excerpt) item.append(element("p", {}, ...marked(data.excerpt)));
  return item;
}

// Pagefind's excerpt is escaped text with <mark> around the words found. It is rebuilt here from text nodes and
// <mark> elements only, so nothing else in it could ever become markup.
function marked(excerpt) {
  const parsed = new DOMParser().parseFromString(excerpt, "text/html").body;
  return [...parsed.childNodes].map((node) =>
    node.nodeName === "MARK" ? element("mark", {}, node.textContent) : document.createTextNode(node.textContent),
  );
}
