// pundit: enhancements for the server-rendered search and article pages.
//
// The pages work without this file. With it, results follow the search box as
// you type, filters apply at once, the timeline takes a dragged date range,
// and every state stays a URL (history.pushState; the back button restores
// it). Results are never rendered here: the server's templates render them,
// this file fetches the same page as a fragment (&fragment=1) and swaps the
// marked regions ([data-swap]) in.
(function () {
  'use strict';

  document.documentElement.classList.add('js');

  var TYPING_DELAY_MS = 200;
  var DATE_DELAY_MS = 350;
  var FACET_LOOKUP_DELAY_MS = 250;
  // A request still pending after this long says "Searching…" in the count
  // (fast answers replace the count at once, without flicker).
  var SEARCHING_DELAY_MS = 300;
  // Search parameters that define a match set (not its order or page).
  var SCOPE_PARAMS = ['q', 'op', 'from', 'to', 'author', 'region', 'theme', 'source', 'year'];
  // Set on the way from a result to its article (sessionStorage key).
  var BACK_KEY = 'pundit-back';

  var requestSeq = 0;       // number of the newest results request
  var controller = null;    // AbortController of the pending request
  var typingTimer = 0;
  var dateTimer = 0;
  var typingSession = false;  // the last history entry came from typing
  var facetTimer = 0;
  var facetSeq = 0;
  var drag = null;
  var suppressClick = false;
  var lastRequested = '';     // the search URL asked for last (shown or pending)
  var searchingTimer = 0;
  var lastArticleState = null;  // history.state of the article page shown

  function byId(id) { return document.getElementById(id); }
  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }
  function isSearchPage() { return !!byId('results-region'); }
  function searchForm() { return byId('search-form'); }

  // ---- URLs ---------------------------------------------------------------

  // The search URL of the form's current state; empty fields are left out.
  function urlFromForm() {
    var params = new URLSearchParams();
    var data = new FormData(searchForm());
    data.forEach(function (value, key) {
      if (typeof value === 'string' && value.trim() !== '') params.append(key, value);
    });
    var query = params.toString();
    return '/search' + (query ? '?' + query : '');
  }

  function fragmentUrl(url) {
    return url + (url.indexOf('?') >= 0 ? '&' : '?') + 'fragment=1';
  }

  function currentUrl() { return location.pathname + location.search; }

  function samePage(a, b) {
    var pa = new URL(a, location.href), pb = new URL(b, location.href);
    var home = function (p) { return p === '/' ? '/search' : p; };
    return home(pa.pathname) === home(pb.pathname) && sameSearch(a, b);
  }

  // On the way from a search to an article: the article page marks its
  // history entry as coming from this search (see markArrival).
  function rememberSearch(articleUrl) {
    if (!isSearchPage()) return;
    try {
      sessionStorage.setItem(BACK_KEY, JSON.stringify({ to: articleUrl, from: currentUrl() }));
    } catch (e) { /* storage refused: the back link still works as a link */ }
  }

  function markArrival() {
    var stored = null;
    try {
      stored = JSON.parse(sessionStorage.getItem(BACK_KEY) || 'null');
      sessionStorage.removeItem(BACK_KEY);
    } catch (e) { return; }
    if (!stored || !stored.to || !stored.from) return;
    if (new URL(stored.to, location.href).href !== new URL(currentUrl(), location.href).href) return;
    window.history.replaceState({ punditFrom: stored.from, steps: 1 }, '', location.href);
  }

  // A jump to a match (#m1) adds a history entry: it still leads back to the
  // search, one step further.
  function onHashChange() {
    var previous = lastArticleState;
    lastArticleState = window.history.state;
    if (lastArticleState || !previous || !previous.punditFrom) return;
    lastArticleState = { punditFrom: previous.punditFrom, steps: (previous.steps || 1) + 1 };
    window.history.replaceState(lastArticleState, '', location.href);
  }

  function sameSearch(a, b) {
    var pa = new URL(a, location.href), pb = new URL(b, location.href);
    var sa = new URLSearchParams(pa.search), sb = new URLSearchParams(pb.search);
    sa.sort(); sb.sort();
    return sa.toString() === sb.toString();
  }

  // Puts the controls that live outside the swapped regions (search box,
  // sort, dates, hidden op/per_page) in the state of `url`.
  function syncControls(url, keepQuery) {
    var params = new URLSearchParams(new URL(url, location.href).search);
    var q = byId('q');
    if (q && !keepQuery) q.value = params.get('q') || '';
    var sort = byId('sort');
    if (sort && q) {
      var hasQuery = q.value.trim() !== '';
      updateSort(hasQuery);
      var order = params.get('sort') || '';
      // The default order ('') is relevance with words, newest without.
      if (order === 'relevance' || (!hasQuery && order === 'newest')) order = '';
      sort.value = order;
      if (sort.selectedIndex < 0) sort.value = '';
    }
    var from = byId('from'), to = byId('to');
    if (from) from.value = params.get('from') || '';
    if (to) to.value = params.get('to') || '';
    ['op', 'per_page'].forEach(function (name) {
      var form = searchForm();
      var input = form.querySelector('input[type=hidden][name="' + name + '"]');
      var value = params.get(name);
      if (value && !input) {
        input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        form.appendChild(input);
      }
      if (input) {
        if (value) input.value = value; else input.remove();
      }
    });
  }

  // ---- fetching and swapping ------------------------------------------------

  function setLoading(on) {
    var region = byId('results-region');
    var results = byId('results');
    [region, results].forEach(function (el) {
      if (!el) return;
      el.classList.toggle('is-loading', on);
    });
    if (region) region.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  // history: 'push', 'replace' or 'none'.
  function navigate(url, history) {
    var seq = ++requestSeq;
    lastRequested = url;
    if (controller) controller.abort();
    controller = typeof AbortController === 'function' ? new AbortController() : null;
    setLoading(true);
    clearTimeout(searchingTimer);
    searchingTimer = setTimeout(function () {
      var count = byId('result-count');
      if (count && seq === requestSeq) count.textContent = 'Searching…';
    }, SEARCHING_DELAY_MS);
    fetch(fragmentUrl(url), {
      signal: controller ? controller.signal : undefined,
      headers: { 'Accept': 'text/html' },
      credentials: 'same-origin'
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      if (seq !== requestSeq) return;  // a newer request was made: drop this answer
      if (history === 'push' && !sameSearch(url, currentUrl())) {
        window.history.pushState({ pundit: 1 }, '', url);
      } else if (history === 'replace' || history === 'push') {
        window.history.replaceState({ pundit: 1 }, '', url);
      }
      clearTimeout(searchingTimer);
      applyFragment(html);
      setLoading(false);
    }).catch(function (error) {
      if (error && error.name === 'AbortError') return;
      if (seq !== requestSeq) return;
      clearTimeout(searchingTimer);
      // The server could not be reached this way: let the browser try.
      window.location.href = url;
    });
  }

  function rememberFocus() {
    var el = document.activeElement;
    if (!el || el === document.body) return null;
    var swapped = el.closest('[data-swap]');
    if (!swapped) return null;
    return {
      id: el.id, name: el.name, value: el.value, type: el.type,
      start: el.selectionStart, end: el.selectionEnd
    };
  }

  function restoreFocus(saved) {
    if (!saved) return;
    var el = null;
    if (saved.type === 'checkbox' && saved.name) {
      el = all('input[type=checkbox][name="' + CSS.escape(saved.name) + '"]')
        .filter(function (i) { return i.value === saved.value; })[0] || null;
    }
    if (!el && saved.id) el = byId(saved.id);
    if (!el) return;
    el.focus({ preventScroll: true });
    if (saved.type === 'search' || saved.type === 'text') {
      try { el.setSelectionRange(saved.start, saved.end); } catch (e) { /* not a text field */ }
    }
  }

  function applyFragment(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    var root = template.content.querySelector('[data-fragment]');
    if (!root) return;
    var focus = rememberFocus();
    var filters = {};
    all('[data-facet-filter]').forEach(function (input) {
      if (input.value) filters[input.id] = input.value;
    });
    all('[data-swap]', template.content).forEach(function (fresh) {
      var old = byId(fresh.id);
      if (old) old.replaceWith(fresh);
    });
    Object.keys(filters).forEach(function (id) {
      var input = byId(id);
      if (input) {
        input.value = filters[id];
        filterFacet(input, false);
      }
    });
    restoreFocus(focus);
    if (root.dataset.title) document.title = root.dataset.title;
    var count = byId('result-count');
    if (count && count.textContent !== root.dataset.count) {
      count.textContent = root.dataset.count || '';
    }
    var clear = byId('date-clear');
    if (clear) clear.classList.toggle('is-hidden', !root.dataset.hasDates);
    var badge = byId('filters-badge');
    if (badge) badge.hidden = !root.dataset.hasFilters;
  }

  // The sort menu for a search with words (relevance, the default, newest,
  // oldest) or without (relevance disabled; newest, the default, oldest).
  // The default order has the value '' so that URLs leave it out; an
  // explicit oldest is kept, anything else becomes the new default.
  function updateSort(hasQuery) {
    var sort = byId('sort'), relevance = byId('sort-relevance'), newest = byId('sort-newest');
    if (!sort || !relevance || !newest) return;
    if (hasQuery === !relevance.disabled) return;  // already so
    var oldest = sort.value === 'oldest';
    relevance.disabled = !hasQuery;
    relevance.value = hasQuery ? '' : 'relevance';
    newest.value = hasQuery ? 'newest' : '';
    sort.value = oldest ? 'oldest' : '';
  }

  function go(url, history) {
    typingSession = false;
    clearTimeout(typingTimer);
    syncControls(url, false);
    navigate(url, history);
  }

  function scrollToResults() {
    var region = byId('results-region');
    if (region && region.getBoundingClientRect().top < 0) {
      region.scrollIntoView({ block: 'start' });
    }
  }

  // ---- search box, form, filters ------------------------------------------

  function onQueryInput() {
    updateSort(byId('q').value.trim() !== '');
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      var url = urlFromForm();
      if (sameSearch(url, lastRequested)) return;
      navigate(url, typingSession ? 'replace' : 'push');
      typingSession = true;
    }, TYPING_DELAY_MS);
  }

  function onSubmit(event) {
    if (!isSearchPage()) return;  // the article page submits to /search
    event.preventDefault();
    clearTimeout(typingTimer);
    typingSession = false;
    navigate(urlFromForm(), 'push');
  }

  function validDate(value) {
    return value === '' || /^[1-9]\d{3}-\d{2}-\d{2}$/.test(value);
  }

  function onChange(event) {
    var t = event.target;
    if (!isSearchPage()) return;
    if (t.matches('.facet input[type=checkbox]')) {
      typingSession = false;
      navigate(urlFromForm(), 'push');
    } else if (t.id === 'sort') {
      typingSession = false;
      navigate(urlFromForm(), 'push');
    } else if (t.id === 'from' || t.id === 'to') {
      clearTimeout(dateTimer);
      if (!validDate(t.value)) return;
      dateTimer = setTimeout(function () {
        typingSession = false;
        navigate(urlFromForm(), 'push');
      }, DATE_DELAY_MS);
    }
  }

  function onClick(event) {
    if (suppressClick && event.target.closest && event.target.closest('#timeline-svg')) {
      suppressClick = false;
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey || event.altKey) return;
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) return;
    if (target.closest('[data-clear-dates]')) {
      event.preventDefault();
      byId('from').value = '';
      byId('to').value = '';
      typingSession = false;
      navigate(urlFromForm(), 'push');
      return;
    }
    var back = target.closest('[data-back]');
    if (back) {
      // Came straight from that search: going back restores it as it was
      // left (scroll position included). Otherwise the link's URL does.
      var state = window.history.state;
      var from = state && state.punditFrom;
      if (from && samePage(from, back.getAttribute('href'))) {
        event.preventDefault();
        window.history.go(-(state.steps || 1));
      }
      return;
    }
    var article = target.closest('a[href^="/article/"]');
    if (article) {
      rememberSearch(article.getAttribute('href'));
      return;
    }
    if (!isSearchPage()) return;
    var link = target.closest('a[data-nav], a.tl-bucket');
    if (!link) return;
    var href = link.getAttribute('href');
    if (!href || (href.indexOf('/search') !== 0 && href !== '/')) return;
    event.preventDefault();
    go(href, 'push');
    if (link.closest('.pagination')) scrollToResults();
  }

  function onPopState() {
    if (!isSearchPage()) return;
    if (location.pathname !== '/search' && location.pathname !== '/') {
      window.location.reload();
      return;
    }
    go(currentUrl(), 'none');
  }

  // ---- author filter box ----------------------------------------------------

  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function filterFacet(input, lookup) {
    var facet = input.closest('.facet');
    if (!facet) return;
    var needle = fold(input.value.trim());
    all('.facet-value', facet).forEach(function (item) {
      if (item.closest('[data-facet-found]')) return;
      var name = fold(item.querySelector('.facet-name').textContent);
      var show = !needle || name.indexOf(needle) >= 0;
      item.hidden = !show;
    });
    var more = facet.querySelector('.facet-more');
    if (more && needle) more.open = true;
    clearTimeout(facetTimer);
    var found = facet.querySelector('[data-facet-found]');
    if (needle.length < 2) {
      if (found) { found.textContent = ''; found.hidden = true; }
      return;
    }
    if (lookup !== false && found) {
      var prefix = input.value.trim();
      facetTimer = setTimeout(function () {
        lookupFacet(input.dataset.facetFilter, prefix, facet, found);
      }, FACET_LOOKUP_DELAY_MS);
    }
  }

  // Values of this search that the list does not show (authors run into
  // thousands; the page lists the top ones), counted as the list counts them:
  // under the query and every filter but this facet's own.
  function lookupFacet(name, prefix, facet, found) {
    var seq = ++facetSeq;
    var current = new URLSearchParams(location.search);
    var query = new URLSearchParams();
    SCOPE_PARAMS.forEach(function (key) {
      current.getAll(key).forEach(function (value) {
        if (value !== '') query.append(key, value);
      });
    });
    if (!query.has('q')) query.set('q', '');  // asks for counts over this search
    query.set('prefix', prefix);
    query.set('limit', '10');
    fetch('/api/facets/' + encodeURIComponent(name) + '?' + query.toString(),
          { headers: { 'Accept': 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (seq !== facetSeq || !data) return;
        var values = Array.isArray(data) ? data : (data.values || (data.facet && data.facet.values) || []);
        var shown = {};
        all('input[type=checkbox]', facet).forEach(function (box) {
          if (!box.closest('[data-facet-found]')) shown[box.value] = true;
        });
        found.textContent = '';
        values.forEach(function (v, i) {
          var value = typeof v === 'string' ? v : v && v.value;
          if (!value || shown[value]) return;
          var item = document.createElement('li');
          item.className = 'facet-value';
          var box = document.createElement('input');
          box.type = 'checkbox';
          box.name = name;
          box.value = value;
          box.id = 'found-' + name + '-' + i;
          box.setAttribute('form', 'search-form');
          var label = document.createElement('label');
          label.htmlFor = box.id;
          var text = document.createElement('span');
          text.className = 'facet-name';
          text.textContent = value;
          label.appendChild(text);
          if (v && typeof v.count === 'number') {
            var count = document.createElement('span');
            count.className = 'facet-count';
            count.textContent = v.count.toLocaleString('en-US');
            label.appendChild(document.createTextNode(' '));
            label.appendChild(count);
          }
          box.checked = !!(v && v.selected);
          item.appendChild(box);
          item.appendChild(label);
          found.appendChild(item);
        });
        found.hidden = !found.children.length;
      })
      .catch(function () { /* the list filtered on the page is still there */ });
  }

  // ---- timeline: drag to pick a date range ------------------------------------

  function bucketAt(svg, clientX, count) {
    var box = svg.getBoundingClientRect();
    var i = Math.floor((clientX - box.left) / box.width * count);
    return Math.max(0, Math.min(count - 1, i));
  }

  function drawSelection(svg, a, b, count) {
    var sel = svg.querySelector('.tl-selection');
    if (!sel) return;
    var width = svg.viewBox.baseVal.width / count;
    var lo = Math.min(a, b), hi = Math.max(a, b);
    sel.setAttribute('x', String(lo * width));
    sel.setAttribute('width', String((hi - lo + 1) * width));
  }

  function onPointerDown(event) {
    var svg = event.target.closest && event.target.closest('#timeline-svg');
    if (!svg || event.button !== 0) return;
    var buckets = all('.tl-bucket', svg);
    if (!buckets.length) return;
    var i = bucketAt(svg, event.clientX, buckets.length);
    drag = { svg: svg, buckets: buckets, start: i, end: i, x0: event.clientX, moved: false };
    try { svg.setPointerCapture(event.pointerId); } catch (e) { /* synthetic events */ }
    svg.classList.add('is-dragging');
    drawSelection(svg, i, i, buckets.length);
    event.preventDefault();
  }

  function onPointerMove(event) {
    if (!drag) return;
    if (Math.abs(event.clientX - drag.x0) > 3) drag.moved = true;
    drag.end = bucketAt(drag.svg, event.clientX, drag.buckets.length);
    drawSelection(drag.svg, drag.start, drag.end, drag.buckets.length);
  }

  function onPointerUp(event) {
    if (!drag) return;
    var d = drag;
    drag = null;
    d.svg.classList.remove('is-dragging');
    try { d.svg.releasePointerCapture(event.pointerId); } catch (e) { /* already released */ }
    if (event.type === 'pointercancel') {
      drawSelection(d.svg, 0, -1, d.buckets.length);
      return;
    }
    var lo = Math.min(d.start, d.end), hi = Math.max(d.start, d.end);
    byId('from').value = d.buckets[lo].dataset.from;
    byId('to').value = d.buckets[hi].dataset.to;
    suppressClick = true;
    setTimeout(function () { suppressClick = false; }, 0);
    typingSession = false;
    navigate(urlFromForm(), 'push');
  }

  // ---- keyboard ---------------------------------------------------------------

  function hitLinks() { return all('#hits .hit-link'); }

  function onKeyDown(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var t = event.target;
    var q = byId('q');
    var inField = t.matches && t.matches('input, textarea, select, [contenteditable], [contenteditable] *');
    if (event.key === '/' && !inField && q) {
      event.preventDefault();
      q.focus();
      q.select();
      return;
    }
    if (event.key === 'Escape' && t === q && q.value) {
      return;  // the browser clears a search field
    }
    if (event.key === 'n' && !inField && byId('m1')) {
      event.preventDefault();
      nextMatch();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    if (inField && t !== q) return;
    var links = hitLinks();
    if (!links.length) return;
    var down = event.key === 'ArrowDown';
    var i;
    if (t === q) {
      if (!down) return;
      i = 0;
    } else {
      var hit = t.closest && t.closest('#hits .hit');
      if (hit) {
        i = links.indexOf(hit.querySelector('.hit-link')) + (down ? 1 : -1);
      } else if (t === document.body || t === document.documentElement) {
        if (!down) return;
        i = 0;
      } else {
        return;
      }
    }
    event.preventDefault();
    if (i < 0) {
      if (q) q.focus();
      return;
    }
    i = Math.min(i, links.length - 1);
    links[i].focus();
    links[i].closest('.hit').scrollIntoView({ block: 'nearest' });
  }

  // ---- article page: step through the matches -------------------------------

  var currentMatch = 0;
  function nextMatch() {
    var marks = all('mark[id^="m"]');
    if (!marks.length) return;
    marks.forEach(function (m) { m.classList.remove('is-current'); });
    currentMatch = currentMatch % marks.length;
    var mark = marks[currentMatch++];
    mark.classList.add('is-current');
    mark.scrollIntoView({ block: 'center' });
  }

  // ---- start ----------------------------------------------------------------

  function start() {
    var form = searchForm();
    var q = byId('q');
    if (form) form.addEventListener('submit', onSubmit);
    if (q && isSearchPage()) q.addEventListener('input', onQueryInput);
    document.addEventListener('change', onChange);
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('input', function (event) {
      if (event.target.matches && event.target.matches('[data-facet-filter]')) {
        filterFacet(event.target, true);
      }
    });
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('pointermove', onPointerMove);
    document.addEventListener('pointerup', onPointerUp);
    document.addEventListener('pointercancel', onPointerUp);
    window.addEventListener('popstate', onPopState);

    lastRequested = currentUrl();
    if (!isSearchPage() && document.querySelector('[data-back]')) {
      markArrival();
      lastArticleState = window.history.state;
      window.addEventListener('hashchange', onHashChange);
    }
    var panel = byId('filters-panel');
    if (panel && window.matchMedia && window.matchMedia('(max-width: 760px)').matches) {
      panel.open = false;
    }
    if (isSearchPage() && q && !q.value && window.matchMedia &&
        window.matchMedia('(min-width: 761px)').matches) {
      q.focus();
    }
    var jump = byId('jump-first');
    if (jump) {
      jump.addEventListener('click', function () {
        currentMatch = 0;
        setTimeout(nextMatch, 0);
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
