/**
 * A section that is not wired yet.
 * @module
 */

/** Placeholder page for `title`. */
export function ComingSoon({ title }: { title: string }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p className="empty">{title} arrive with the CRM domain. Contacts work today.</p>
    </section>
  );
}
