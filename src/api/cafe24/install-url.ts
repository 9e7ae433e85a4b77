/** Where a seller starts the Cafe24 app install for a mall link (shown by the mall-link API). */
export function cafe24InstallUrl(publicBaseUrl: string, mallLinkId: string): string {
  return `${publicBaseUrl}/cafe24/install?mallLinkId=${encodeURIComponent(mallLinkId)}`;
}

/** The Redirect URI registered for the app in the Cafe24 developer center. */
export function cafe24CallbackUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}/cafe24/oauth/callback`;
}
