// A first page while the desktop UI is being built: it says what this is and
// where the working parts are today.

export function App() {
  return (
    <main
      style={{
        fontFamily: 'system-ui, sans-serif',
        maxWidth: 720,
        margin: '48px auto',
        lineHeight: 1.5,
      }}
    >
      <h1>Consensus Lab</h1>
      <p>
        Run Raft and Paxos clusters on your own machine, break them on purpose, watch what happens,
        and fix them.
      </p>
      <p>
        The desktop interface (terminal, cluster view, timeline, code editor and lessons) is on its
        way. Today the simulator and the Raft reference run headless: see the README for{' '}
        <code>npm test</code> and <code>npm run bench</code>.
      </p>
    </main>
  )
}
