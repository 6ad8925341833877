export function App() {
  return (
    <main>
      <h1>Crewline</h1>
      <p>Board coming in the console issue</p>
    </main>
  );
}
