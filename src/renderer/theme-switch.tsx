// The top bar's theme switch: system, light or dark (theme.ts remembers it),
// in the page's language (the words come from i18n.ts through the app).

import { useState } from 'react'
import { setThemeChoice, themeChoice, themeChoices, type ThemeChoice } from './theme'

export function ThemeSwitch({
  label,
  labels,
}: {
  label: string
  labels: Record<ThemeChoice, string>
}) {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice)
  return (
    <label className="theme-switch">
      {label}
      <select
        value={choice}
        data-testid="theme-switch"
        onChange={(event) => {
          const next = event.target.value as ThemeChoice
          setThemeChoice(next)
          setChoice(next)
        }}
      >
        {themeChoices.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </label>
  )
}
