"""Plots for the analysis notebooks, kept in the package so tests can check what they show."""

from __future__ import annotations

import matplotlib.pyplot as plt  # inline in a notebook; with no display, matplotlib falls back to Agg


def salary_vs_proficiency(roles):
    """Base salary against mean required proficiency; partial pages drawn hollow."""
    fig, ax = plt.subplots(figsize=(8, 5))
    for completeness, style in (("complete", dict(marker="o", facecolors="tab:blue", edgecolors="tab:blue")),
                                ("partial", dict(marker="o", facecolors="none", edgecolors="tab:orange"))):
        sub = roles[(roles["completeness"] == completeness) & roles["mean_required_level_normalized"].notna() & roles["base_salary_p50"].notna()]
        label = f"{completeness} page ({len(sub)} role{'s' if len(sub) != 1 else ''})"
        if completeness == "partial":
            label += ": few competencies shown"
        ax.scatter(sub["mean_required_level_normalized"], sub["base_salary_p50"] / 1000, s=70, label=label, **style)
        for _, r in sub.iterrows():
            ax.annotate(r["title"], (r["mean_required_level_normalized"], r["base_salary_p50"] / 1000), textcoords="offset points", xytext=(6, 4), fontsize=8)
    ax.set_xlabel("Mean required proficiency (0-100; Salary.com levels 1-5 rescaled)")
    ax.set_ylabel("Base salary, 50th percentile (thousand USD per year)")
    ax.set_title("Salary versus required proficiency (Salary.com roles in the catalog)")
    ax.set_xlim(-5, 105)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def crosswalk_heatmap(matrix, title: str):
    """Match scores between two vendors' competencies (rows x columns), 0-1."""
    fig, ax = plt.subplots(figsize=(1.2 + 0.55 * max(1, matrix.shape[1]), 1.5 + 0.35 * max(1, matrix.shape[0])))
    im = ax.imshow(matrix.fillna(0).to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(matrix.shape[0]), matrix.index, fontsize=8)
    ax.set_xlabel(matrix.columns.name or "")
    ax.set_ylabel(matrix.index.name or "")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="match score (0-1)")
    fig.tight_layout()
    return fig


def vendor_coverage_bars(coverage):
    """Share of each vendor's competencies matched in each other vendor."""
    pivot = coverage.pivot(index="vendor", columns="other_vendor", values="share_matched").fillna(0) * 100
    fig, ax = plt.subplots(figsize=(8, 4))
    pivot.plot.bar(ax=ax, rot=0)
    ax.set_xlabel("Vendor whose competencies are counted")
    ax.set_ylabel("Competencies with a match (%)")
    ax.set_title("Coverage of each vendor's competencies by the other vendors")
    ax.set_ylim(0, 100)
    ax.legend(title="matched in", fontsize=8)
    fig.tight_layout()
    return fig
