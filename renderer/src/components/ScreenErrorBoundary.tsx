import { Component, type ReactNode } from 'react';
import { Button } from './Button.tsx';

interface Props {
  /** Changing it (another screen) clears the error. */
  screen: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  screen: string;
}

/**
 * A render error in one screen must not blank the whole console: the user keeps the navigation, sees what
 * broke and can reload. Nothing is lost by reloading: saved work and staged board edits live in the
 * workspace, not in the page.
 */
export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, screen: this.props.screen };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.screen !== state.screen ? { screen: props.screen, error: null } : null;
  }

  override componentDidCatch(error: Error): void {
    console.error('Screen crashed:', error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="cl-screen-error" role="alert" data-screen-error={this.props.screen}>
        <h2>This screen ran into a problem</h2>
        <p>Your saved work and staged board changes are kept in the workspace; reloading the screen is safe.</p>
        <pre className="cl-screen-error__detail">{error.message}</pre>
        <Button onClick={() => window.location.reload()}>
          Reload
        </Button>
      </section>
    );
  }
}
