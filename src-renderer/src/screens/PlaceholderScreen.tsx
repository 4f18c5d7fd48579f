export function PlaceholderScreen({ title, text }: { title: string; text: string }) {
  return (
    <div className="screen" data-testid="placeholder-screen">
      <header className="screen-header">
        <h1>{title}</h1>
        <p className="lede">{text}</p>
      </header>
      <div className="card empty-card">Coming in a later release.</div>
    </div>
  )
}
