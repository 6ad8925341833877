// @ts-check
/**
 * The technician page (served by the sync server at /tech/): sign in (or, the first time, redeem the invite
 * code and choose a password), the day's jobs in route order, the
 * field buttons (en route, check in, check out, running late) and, when self-dispatch is on, the jobs
 * anyone may claim. It talks only to the field API and the sign-in routes (sync-server/README.md), keeps
 * its token in localStorage, and renders with textContent only (no HTML from data).
 *
 * Plain JavaScript so the server can send it as it is; type-checked with JSDoc (`tsconfig.json` here).
 */

/** @typedef {import('../../../../core/field/field-jobs.ts').FieldJob} FieldJob */
/** @typedef {import('../../../../core/field/field-jobs.ts').AvailableJob} AvailableJob */
/** @typedef {import('../../../../core/field/field-jobs.ts').FieldAction} FieldAction */
/** @typedef {import('../../../../core/field/field-jobs.ts').FieldDay & {selfDispatch: boolean}} DayAnswer */
/** @typedef {import('../../../../core/field/field-notices.ts').FieldNotice} FieldNotice */
/** @typedef {{token: string, name: string}} Session */
/** @typedef {{error?: {code?: string, message?: string, field?: string}}} ErrorBody */
/** @typedef {{token: string, user: {name: string, role: string, email?: string}}} SignInAnswer */
/** @typedef {'code' | 'password' | 'passwordAgain' | 'redeem'} RedeemSlot where the invite form shows a problem */

const SESSION_KEY = 'crewline.field.session';
/** Notices the technician has acknowledged (their ids), kept on this phone. */
const SEEN_NOTICES_KEY = 'crewline.field.seenNotices';
const REFRESH_MS = 60_000;

/** @type {Record<string, string>} */
const STATUS_LABELS = {
  unscheduled: 'Unscheduled',
  scheduled: 'Planned (not sent yet)',
  dispatched: 'Dispatched',
  en_route: 'En route',
  in_progress: 'Checked in',
  completed: 'Done',
  cancelled: 'Cancelled',
};

/** @type {Record<FieldAction, string>} */
const ACTION_LABELS = {
  en_route: 'En route',
  in_progress: 'Check in',
  completed: 'Check out',
  running_late: 'Running late…',
};

class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {string} [field] */
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * @template T
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  const session = loadSession();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'offline', 'Cannot reach the server. Check your connection and try again.');
  }
  /** @type {unknown} */
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = /** @type {ErrorBody | null} */ (json)?.error;
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `The server answered ${response.status}`, error?.field);
  }
  return /** @type {T} */ (json);
}

/** @returns {Session | null} */
function loadSession() {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    const parsed = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed.token === 'string' ? /** @type {Session} */ (parsed) : null;
  } catch {
    return null;
  }
}

/** @param {Session | null} session */
function saveSession(session) {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

/**
 * @template {HTMLElement} [E=HTMLElement]
 * @param {string} selector
 * @returns {E}
 */
function $(selector) {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return /** @type {E} */ (found);
}

/**
 * A DOM element with text content and attributes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string | null>} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

/** @param {string} date @param {number} days */
function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return next.toISOString().slice(0, 10);
}

/**
 * The page's words are English, so its dates are too: core/format.ts's FALLBACK_LOCALE, which this static
 * script cannot import. Times come from the server already written in the organization's 12/24-hour clock.
 */
const FALLBACK_LOCALE = 'en-US';
/** "Mon, Nov 23" for a calendar date: an organization-local date, so it is read and written in UTC. */
const shortDate = new Intl.DateTimeFormat(FALLBACK_LOCALE, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });
const dateLabel = (/** @type {string} */ date) => shortDate.format(Date.parse(`${date}T00:00:00Z`));

const state = {
  /**
   * The day shown; null until the server has said what today is in the organization's zone.
   * @type {string | null}
   */
  date: new URLSearchParams(location.search).get('date'),
  /** @type {number | undefined} */
  timer: undefined,
};

function showNotice(/** @type {string} */ text) {
  const notice = $('[data-notice]');
  notice.textContent = text;
  notice.hidden = text === '';
}

function showLogin(/** @type {string} */ message = '') {
  clearInterval(state.timer);
  saveSession(null);
  $('[data-view="day"]').hidden = true;
  $('[data-who]').hidden = true;
  $('[data-action="sign-out"]').hidden = true;
  showForm('login');
  showNotice(message);
}

/** The sign-in form or the first-time invite form (each keeps what was typed until it is used). */
function showForm(/** @type {'login' | 'redeem'} */ which) {
  $('[data-form="login"]').hidden = which !== 'login';
  $('[data-form="redeem"]').hidden = which !== 'redeem';
}

function showDay() {
  const session = loadSession();
  $('[data-form="login"]').hidden = true;
  $('[data-form="redeem"]').hidden = true;
  $('[data-view="day"]').hidden = false;
  const who = $('[data-who]');
  who.textContent = session?.name ?? '';
  who.hidden = false;
  $('[data-action="sign-out"]').hidden = false;
  clearInterval(state.timer);
  state.timer = window.setInterval(() => void refresh(), REFRESH_MS);
  void refresh();
}

/** A failed request: a lost sign-in goes back to the login form; anything else is shown where it happened. */
function handled(/** @type {unknown} */ error, /** @type {HTMLElement} */ where) {
  if (error instanceof ApiError && error.status === 401) {
    showLogin('Your sign-in has ended. Please sign in again.');
    return;
  }
  where.textContent = error instanceof Error ? error.message : String(error);
  where.hidden = false;
}

async function refresh() {
  const dayError = $('[data-day-error]');
  try {
    const query = state.date ? `?date=${encodeURIComponent(state.date)}` : '';
    /** @type {DayAnswer} */
    const day = await api('GET', `/api/field/jobs${query}`);
    state.date = day.date;
    dayError.hidden = true;
    renderDay(day);
    await refreshNotices();
    if (day.selfDispatch) await refreshAvailable();
    else $('[data-available]').hidden = true;
  } catch (error) {
    handled(error, dayError);
  }
}

/** @returns {string[]} */
function seenNotices() {
  try {
    const stored = JSON.parse(localStorage.getItem(SEEN_NOTICES_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Jobs taken from the technician (cancelled, given to someone else, moved), above the day: whatever day
 * is shown, and until they tap "Got it". A failure here never hides the day.
 */
async function refreshNotices() {
  try {
    /** @type {{notices: FieldNotice[]}} */
    const answer = await api('GET', '/api/field/notices');
    const seen = new Set(seenNotices());
    const shown = answer.notices.filter((n) => !seen.has(n.id));
    $('[data-field-notice-list]').replaceChildren(...shown.map(noticeCard));
    $('[data-field-notices]').hidden = shown.length === 0;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) handled(error, $('[data-day-error]'));
  }
}

/** @param {FieldNotice} notice */
function noticeCard(notice) {
  const ok = el('button', { type: 'button', class: 'secondary', 'data-action': 'dismiss-notice' }, ['Got it']);
  const card = el('li', { class: 'card field-notice', role: 'alert', 'data-field-notice': notice.kind, 'data-booking-id': notice.bookingId }, [
    el('h2', {}, [notice.title]),
    el('p', {}, [notice.message]),
    ok,
  ]);
  ok.addEventListener('click', () => {
    // The newest 200 are enough: older notices have left the server's two days anyway.
    localStorage.setItem(SEEN_NOTICES_KEY, JSON.stringify([notice.id, ...seenNotices()].slice(0, 200)));
    card.remove();
    $('[data-field-notices]').hidden = $('[data-field-notice-list]').children.length === 0;
  });
  return card;
}

/** @param {DayAnswer} day */
function renderDay(day) {
  $('[data-day-label]').textContent = day.dateLabel;
  $('[data-zone]').textContent = `Times in ${day.timeZone}`;
  const list = $('[data-jobs]');
  list.replaceChildren(...day.jobs.map(jobCard));
  $('[data-no-jobs]').hidden = day.jobs.length > 0;
}

/**
 * A labelled line of a card: "Address   12 Elm St".
 * @param {string} label
 * @param {Array<Node | string | null>} content
 */
function infoLine(label, content) {
  return el('p', { class: 'line' }, [el('span', { class: 'label' }, [label]), el('span', { class: 'value' }, content)]);
}

/** @param {FieldJob} job */
function jobCard(job) {
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const phone = job.customer?.phone ? el('a', { href: `tel:${job.customer.phone.replace(/[^+0-9]/g, '')}` }, [job.customer.phone]) : null;
  const lateForm = job.actions.includes('running_late') ? lateReportForm(job, error) : null;
  const buttons = job.actions.map((action) => {
    const button = el('button', { type: 'button', 'data-action': action, class: action === 'running_late' ? 'secondary' : 'primary' }, [ACTION_LABELS[action]]);
    button.addEventListener('click', () => {
      if (action === 'running_late' && lateForm) {
        lateForm.hidden = !lateForm.hidden;
        if (!lateForm.hidden) lateForm.querySelector('textarea')?.focus();
        return;
      }
      void act(job, { status: action }, error, button);
    });
    return button;
  });
  return el('li', { class: 'card job', 'data-field-job': job.id, 'data-status': job.status }, [
    el('div', { class: 'job-head' }, [
      el('span', { class: 'time' }, [job.timeLabel]),
      el('span', { class: `badge status-${job.status}`, 'data-status-label': '' }, [STATUS_LABELS[job.status] ?? job.status]),
    ]),
    el('h2', {}, [job.title, job.priority === 'high' || job.priority === 'emergency' ? el('span', { class: `badge priority-${job.priority}` }, [job.priority]) : null]),
    job.arrivalWindow ? infoLine('Arrive', [job.arrivalWindow.label]) : null,
    job.address ? infoLine('Address', [job.address]) : null,
    job.customer ? infoLine('Customer', [job.customer.name, phone ? ' · ' : '', phone]) : null,
    job.service ? infoLine('Service', [job.service]) : null,
    job.teamMates.length > 0 ? infoLine('With', [job.teamMates.join(', ')]) : null,
    job.accessNotes ? infoLine('Access', [job.accessNotes]) : null,
    job.notes ? infoLine('Notes', [job.notes]) : null,
    job.statusNote ? el('p', { class: 'status-note', 'data-status-note': '' }, [job.statusNote]) : null,
    buttons.length > 0 ? el('div', { class: 'actions' }, buttons) : null,
    lateForm,
    error,
  ]);
}

/**
 * @param {FieldJob} job
 * @param {HTMLElement} error
 */
function lateReportForm(job, error) {
  const note = el('textarea', { name: 'note', rows: '2', maxlength: '1000', placeholder: 'How late, and why? e.g. 20 min, traffic' });
  const form = el('form', { class: 'late', 'data-form': 'running-late', hidden: '' }, [
    el('label', {}, ['Running late', note]),
    el('button', { type: 'submit', class: 'primary', 'data-action': 'send-late' }, ['Tell the office']),
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
    void act(job, { status: 'running_late', note: note.value }, error, submit);
  });
  return form;
}

/**
 * @param {FieldJob} job
 * @param {{status: FieldAction, note?: string}} body
 * @param {HTMLElement} error
 * @param {HTMLButtonElement} button
 */
async function act(job, body, error, button) {
  button.disabled = true;
  error.hidden = true;
  try {
    await api('POST', `/api/field/jobs/${encodeURIComponent(job.id)}/status`, body);
    await refresh();
  } catch (failure) {
    button.disabled = false;
    handled(failure, error);
  }
}

async function refreshAvailable() {
  const section = $('[data-available]');
  section.hidden = false;
  const list = $('[data-available-jobs]');
  try {
    /** @type {{jobs: AvailableJob[]}} */
    const { jobs } = await api('GET', '/api/field/available');
    list.replaceChildren(...jobs.map(availableCard));
    $('[data-no-available]').hidden = jobs.length > 0;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      section.hidden = true;
      return;
    }
    handled(error, $('[data-day-error]'));
  }
}

/** @param {AvailableJob} job */
function availableCard(job) {
  const error = el('p', { class: 'error', role: 'alert', hidden: '' });
  const claim = el('button', { type: 'button', class: 'primary', 'data-action': 'claim' }, ['Claim']);
  claim.addEventListener('click', async () => {
    claim.disabled = true;
    error.hidden = true;
    try {
      /** @type {{job: FieldJob}} */
      const claimed = await api('POST', `/api/field/jobs/${encodeURIComponent(job.id)}/claim`);
      state.date = claimed.job.date;
      showNotice(`"${claimed.job.title}" is yours.`);
      await refresh();
    } catch (failure) {
      handled(failure, error);
    }
  });
  // A job this technician cannot take says why (the same rules the claim is judged by) instead of
  // offering a Claim that would be refused.
  const blocked = job.cannotClaim.length > 0;
  const why = blocked
    ? el('div', { class: 'cannot-claim', 'data-cannot-claim': '' }, [
        el('p', {}, ['You cannot take this job:']),
        el('ul', {}, job.cannotClaim.map((reason) => el('li', {}, [reason]))),
      ])
    : null;
  return el('li', { class: `card job available-job${blocked ? ' is-blocked' : ''}`, 'data-available-job': job.id }, [
    el('div', { class: 'job-head' }, [el('span', { class: 'time' }, [`${dateLabel(job.date)} · ${job.timeLabel}`])]),
    el('h2', {}, [job.title]),
    job.arrivalWindow ? infoLine('Arrive', [job.arrivalWindow.label]) : null,
    job.address ? infoLine('Address', [job.address]) : null,
    job.service ? infoLine('Service', [job.service]) : null,
    job.teamSize > 1 ? infoLine('Team', [`${job.teamSize} people`]) : null,
    why ?? el('div', { class: 'actions' }, [claim]),
    error,
  ]);
}

async function signIn(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const error = $('[data-error-for="login"]');
  const button = /** @type {HTMLButtonElement} */ ($('[data-action="sign-in"]'));
  const data = new FormData(form);
  const email = String(data.get('email') ?? '').trim();
  const password = String(data.get('password') ?? '');
  if (!email || !password) {
    error.textContent = 'Enter your email and password.';
    return;
  }
  button.disabled = true;
  error.textContent = '';
  try {
    /** @type {SignInAnswer} */
    const answer = await api('POST', '/api/auth/login', { email, password });
    if (!(await technicianOnly(answer))) {
      error.textContent = 'This page is for technicians. Office staff use the Crewline console.';
      return;
    }
    saveSession({ token: answer.token, name: answer.user.name });
    form.reset();
    showNotice('');
    showDay();
  } catch (failure) {
    error.textContent = failure instanceof Error ? failure.message : String(failure);
  } finally {
    button.disabled = false;
  }
}

/** False for an office account, whose new session is ended at once (nothing is left behind). */
async function technicianOnly(/** @type {SignInAnswer} */ answer) {
  if (answer.user.role === 'technician') return true;
  saveSession({ token: answer.token, name: answer.user.name });
  await api('POST', '/api/auth/logout').catch(() => undefined);
  saveSession(null);
  return false;
}

/**
 * Shows the invite form's problems, each under its field (`code`, `password`, `passwordAgain`) or below the
 * form (`redeem`); clears the others.
 * @param {Partial<Record<RedeemSlot, string>>} problems
 */
function showRedeemProblems(problems) {
  const form = $('[data-form="redeem"]');
  for (const slot of /** @type {RedeemSlot[]} */ (['code', 'password', 'passwordAgain', 'redeem'])) {
    form.querySelector(`[data-error-for="${slot}"]`)?.replaceChildren(problems[slot] ?? '');
    const input = form.querySelector(`input[name="${slot}"]`);
    if (!input) continue;
    if (problems[slot]) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/** What a refused invite code means for a technician, under the code field. */
function codeProblem(/** @type {ApiError} */ failure) {
  // A setup code makes the organization's first admin, in the console: not something for this page.
  if (failure.code === 'code_is_setup') return 'This is a setup code for the first admin of a new server, not an invite. Use it in the Crewline console.';
  return failure.message;
}

/**
 * First time: redeem the invite code with the new password (`POST /api/auth/redeem-invite`), which signs
 * the technician in, then show their day.
 */
async function redeem(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const button = /** @type {HTMLButtonElement} */ ($('[data-action="redeem"]'));
  const data = new FormData(form);
  const code = String(data.get('code') ?? '').trim();
  const password = String(data.get('password') ?? '');
  const again = String(data.get('passwordAgain') ?? '');
  /** @type {Partial<Record<RedeemSlot, string>>} */
  const problems = {};
  if (!code) problems.code = 'Type the invite code from your office.';
  if (password.length < 8) problems.password = 'Choose a password of at least 8 characters.';
  else if (again !== password) problems.passwordAgain = 'The two passwords are not the same. Type your new password again.';
  showRedeemProblems(problems);
  if (Object.keys(problems).length > 0) return;
  button.disabled = true;
  try {
    /** @type {SignInAnswer} */
    const answer = await api('POST', '/api/auth/redeem-invite', { code, password });
    form.reset();
    if (!(await technicianOnly(answer))) {
      showRedeemProblems({ redeem: 'Your password is set, but this page is for technicians. Office staff sign in to the Crewline console with their email and this password.' });
      return;
    }
    saveSession({ token: answer.token, name: answer.user.name });
    showNotice(`Your password is set. Next time, sign in with ${answer.user.email ?? 'your email'} and this password.`);
    showDay();
  } catch (failure) {
    if (failure instanceof ApiError && failure.field === 'code') showRedeemProblems({ code: codeProblem(failure) });
    else if (failure instanceof ApiError && failure.field === 'password') showRedeemProblems({ password: failure.message.replace(/^password: /, '') });
    else showRedeemProblems({ redeem: failure instanceof Error ? failure.message : String(failure) });
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  showLogin('Signed out.');
}

function start() {
  $('[data-form="login"]').addEventListener('submit', (event) => void signIn(/** @type {SubmitEvent} */ (event)));
  $('[data-form="redeem"]').addEventListener('submit', (event) => void redeem(/** @type {SubmitEvent} */ (event)));
  $('[data-action="use-invite"]').addEventListener('click', () => {
    showNotice('');
    showRedeemProblems({});
    showForm('redeem');
    $('[data-form="redeem"] input[name="code"]').focus();
  });
  $('[data-action="back-to-sign-in"]').addEventListener('click', () => {
    showForm('login');
    $('[data-form="login"] input[name="email"]').focus();
  });
  $('[data-action="sign-out"]').addEventListener('click', () => void signOut());
  $('[data-action="previous-day"]').addEventListener('click', () => {
    if (!state.date) return;
    state.date = addDays(state.date, -1);
    void refresh();
  });
  $('[data-action="next-day"]').addEventListener('click', () => {
    if (!state.date) return;
    state.date = addDays(state.date, 1);
    void refresh();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && loadSession()) void refresh();
  });
  if (loadSession()) showDay();
  else showLogin();
}

start();

export {};
