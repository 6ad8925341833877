import { useId, useState, type KeyboardEvent } from 'react';
import type { ControlProps } from './Field';
import './forms.css';

export interface TagInputProps {
  control: ControlProps;
  value: readonly string[];
  onChange: (tags: string[]) => void;
  /** Offered in a datalist (e.g. skills already in use). */
  suggestions?: readonly string[];
  placeholder?: string;
  /** What one tag is called, for the remove buttons' labels ("Remove skill HVAC"). */
  noun?: string;
}

/**
 * Tags typed into a text box: Enter or comma adds, Backspace on an empty box removes the last, leaving the box
 * adds what was typed. Enter on an empty box submits the form as usual.
 */
export function TagInput({ control, value, onChange, suggestions, placeholder, noun = 'tag' }: TagInputProps) {
  const [text, setText] = useState('');
  const listId = useId();

  const commit = (raw: string) => {
    const tags = raw
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const next = [...value];
    for (const tag of tags) if (!next.some((t) => t.toLowerCase() === tag.toLowerCase())) next.push(tag);
    setText('');
    if (next.length !== value.length) onChange(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if ((e.key === 'Enter' || e.key === ',') && text.trim()) {
      e.preventDefault();
      commit(text);
    } else if (e.key === 'Backspace' && text === '' && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  const available = suggestions?.filter((s) => !value.some((t) => t.toLowerCase() === s.toLowerCase()));

  return (
    <div className="adm-tags" data-invalid={control['aria-invalid'] ? '' : undefined}>
      {value.map((tag) => (
        <span className="adm-tag" key={tag} data-tag={tag}>
          {tag}
          <button type="button" className="adm-tag-remove" aria-label={`Remove ${noun} ${tag}`} onClick={() => onChange(value.filter((t) => t !== tag))}>
            ×
          </button>
        </span>
      ))}
      <input
        {...control}
        type="text"
        className="adm-tags-input"
        autoComplete="off"
        list={available && available.length > 0 ? listId : undefined}
        placeholder={value.length === 0 ? placeholder : undefined}
        value={text}
        onChange={(e) => {
          if (e.target.value.includes(',')) commit(e.target.value);
          else setText(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (text.trim()) commit(text);
        }}
      />
      {available && available.length > 0 ? (
        <datalist id={listId}>
          {available.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}
