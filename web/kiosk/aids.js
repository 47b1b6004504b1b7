// aids.js - the kiosk's accessibility aids (issue 20): 长者模式, large text
// and larger targets on top of the portal's 长辈版 (html.elder), and 语音朗读,
// reading the screen aloud with the browser's Web Speech API
// (speechSynthesis) in the page's language, Chinese or English.  Both are off
// by default and both end when the person leaves (the kiosk is shared): the
// kiosk page calls reset().  Without speechSynthesis the read-aloud button is
// not shown.
import { h } from '../assets/dom.js';
import { getLang, t } from '../assets/i18n.js';

const synth = typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
let speaking = false;

/** Say text now (cancelling what was being said), in the page's language. */
export function say(text) {
  if (!synth || !speaking || !text) return;
  synth.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = getLang() === 'en' ? 'en-US' : 'zh-CN';
  u.rate = document.documentElement.classList.contains('elder') ? 0.85 : 1;
  synth.speak(u);
}

/** Read the screen: its heading, then its buttons and lines, as a person sees them. */
export function readScreen(root) {
  const parts = [];
  for (const el of root.querySelectorAll('h1, h2, p, li, button, label')) {
    if (el.closest('[hidden]') || el.closest('.k-keypad')) continue;
    const text = (el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim();
    if (text && !parts.includes(text)) parts.push(text);
  }
  say(parts.join('。'));
}

function press(btn, on) {
  btn.setAttribute('aria-pressed', on ? 'true' : 'false');
  btn.classList.toggle('k-aid-on', on);
}

/** The two switches for the kiosk's header: [elder, speak] (speak null without the API). */
export function aidButtons(root) {
  const elder = h('button', { type: 'button', class: 'k-aid', i18n: 'ss.k.elder', 'aria-pressed': 'false', 'data-testid': 'ss-elder' });
  elder.addEventListener('click', () => {
    const on = !document.documentElement.classList.contains('elder');
    document.documentElement.classList.toggle('elder', on);
    press(elder, on);
    say(t(on ? 'ss.k.elder.on' : 'ss.k.elder.off'));
  });
  if (!synth) return [elder, null];
  const speak = h('button', { type: 'button', class: 'k-aid', i18n: 'ss.k.speak', 'aria-pressed': 'false', 'data-testid': 'ss-speak' });
  speak.addEventListener('click', () => {
    speaking = !speaking;
    press(speak, speaking);
    if (speaking) readScreen(root);
    else synth.cancel();
  });
  /* while reading aloud, a touched button says what it does */
  document.addEventListener('focusin', (e) => {
    if (speaking && e.target.matches && e.target.matches('button, input')) {
      const label = e.target.labels && e.target.labels[0] ? e.target.labels[0].textContent : '';
      say(e.target.getAttribute('aria-label') || label || e.target.textContent);
    }
  });
  return [elder, speak];
}

/** Both aids off: the next person starts with the plain screen. */
export function resetAids(buttons) {
  document.documentElement.classList.remove('elder');
  speaking = false;
  if (synth) synth.cancel();
  for (const b of buttons) if (b) press(b, false);
}

/** Is reading aloud on (the screens read themselves when they change). */
export const aloud = () => speaking;
