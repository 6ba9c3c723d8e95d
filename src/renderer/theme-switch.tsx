// The top bar's theme switch: system, light or dark (theme.ts remembers it).

import { useState } from 'react'
import { setThemeChoice, themeChoice, themeChoices, type ThemeChoice } from './theme'

const labels: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' }

export function ThemeSwitch() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice)
  return (
    <label className="theme-switch">
      Theme
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
