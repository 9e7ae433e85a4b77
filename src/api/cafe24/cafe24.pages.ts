import type { MallLinkRow } from '../../../db/schema.js';

/** Small bilingual pages (Korean first) shown to the seller in the browser during install and launch. */

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,'Apple SD Gothic Neo','Malgun Gothic',sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}.en{color:#666}dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}dt{font-weight:600}</style>
</head><body>${body}</body></html>`;
}

const authLabels: Record<MallLinkRow['cafe24_auth_status'], [string, string]> = {
  authorized: ['인증 완료', 'authorized'],
  reauth_required: ['재인증 필요', 're-authorization required'],
  not_installed: ['앱 미설치', 'app not installed'],
};

function linkState(link: MallLinkRow, scheduleState: string): string {
  const [authKo, authEn] = authLabels[link.cafe24_auth_status];
  return `<h2>FMS 연동 상태 <span class="en">/ FMS link state</span></h2><dl>
<dt>쇼핑몰 ID <span class="en">Mall ID</span></dt><dd>${escape(link.mall_id)}</dd>
<dt>고객사 코드 <span class="en">Customer code</span></dt><dd>${escape(link.cst_cd)}</dd>
<dt>카페24 인증 <span class="en">Cafe24 authorization</span></dt><dd>${authKo} <span class="en">(${authEn})</span></dd>
<dt>연동서비스 <span class="en">Link service</span></dt><dd>${link.enabled ? '사용 <span class="en">(enabled)</span>' : '미사용 <span class="en">(disabled)</span>'}</dd>
<dt>주문수집방법 <span class="en">Collection</span></dt><dd>${link.collection_method === 'auto' ? '자동 <span class="en">(automatic)</span>' : '수동 <span class="en">(manual)</span>'}</dd>
<dt>수집 스케줄 <span class="en">Schedule</span></dt><dd>${scheduleState === 'synced' ? '반영됨 <span class="en">(in effect)</span>' : '반영 대기 <span class="en">(pending)</span>'}</dd>
</dl>`;
}

export function installedPage(link: MallLinkRow, scheduleState: string): string {
  return page(
    '카페24 아이디 인증 완료',
    `<h1>카페24 아이디 인증 완료</h1><p>쇼핑몰 <b>${escape(link.mall_id)}</b>의 앱 권한 동의가 완료되었습니다. 이 창을 닫으셔도 됩니다.</p>
<p class="en">Cafe24 ID authorization complete: the app is authorized for mall <b>${escape(link.mall_id)}</b>. You may close this window.</p>${linkState(link, scheduleState)}`,
  );
}

export function statusPage(link: MallLinkRow, scheduleState: string): string {
  return page('카페24 연동 상태', `<h1>카페24 연동 상태</h1><p class="en">Cafe24 link status</p>${linkState(link, scheduleState)}`);
}

/** A refusal: what went wrong in both languages, and what to do. Never echoes tokens or codes. */
export function failurePage(korean: string, english: string): string {
  return page(
    '카페24 인증 실패',
    `<h1>카페24 인증을 완료하지 못했습니다</h1><p>${escape(korean)}</p><p class="en">Cafe24 authorization was not completed. ${escape(english)}</p>
<p>FMS의 연동쇼핑몰 설정에서 앱 설치를 다시 시작해 주세요. <span class="en">Start the app install again from the FMS mall-link settings.</span></p>`,
  );
}
