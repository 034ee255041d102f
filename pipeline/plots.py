"""Plots for the analysis notebooks, kept in the package so tests can check what they show.

Each figure stays readable from 10 to 10,000 roles: points become a density (hexbin) past
SCATTER_LIMIT, at most MAX_LABELS points are named (the farthest from the trend), trends carry
a 95% bootstrap band, and heat maps show only their top rows and columns.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt  # inline in a notebook; with no display, matplotlib falls back to Agg
import numpy as np
from matplotlib.patches import Patch

from pipeline.notebook import plural

SCATTER_LIMIT = 300  # more points than this are drawn as a density
MAX_LABELS = 5  # points named on a scatter
MIN_TREND_POINTS = 10  # fewer points get no trend line: a line through 3 points is not a trend
SALARY_AXIS = "Base salary, 50th percentile (thousand USD per year)"
PROFICIENCY_AXIS = "Mean required proficiency (0-100; Salary.com levels 1-5 rescaled)"
RELATION_COLOURS = {"exact": "#08306b", "close": "#2171b5", "broad": "#6a51a3", "narrow": "#9e9ac8", "related": "#c6dbef"}


def job_level_order(levels) -> list[str]:
    """Job levels from junior to senior: Salary.com's support (S), professional (P), management (M),
    executive (E) tracks, each by its number; other codes after them, alphabetically."""
    tracks = "SPME"
    return sorted(set(levels), key=lambda code: (tracks.index(code[0]) if code[:1] in tracks else len(tracks), code))


def trend_band(x, y, boots: int = 200, seed: int = 0):
    """The least-squares line through (x, y) on a grid of x, with a 95% bootstrap band."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    grid = np.linspace(x.min(), x.max(), 50)
    idx = np.random.default_rng(seed).integers(0, len(x), size=(boots, len(x)))
    xb, yb = x[idx], y[idx]
    xc, yc = xb - xb.mean(1, keepdims=True), yb - yb.mean(1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):  # a resample of one repeated x has no slope: left out
        slope = (xc * yc).sum(1) / (xc**2).sum(1)
    lines = (yb.mean(1) - slope * xb.mean(1))[:, None] + slope[:, None] * grid
    low, high = np.nanpercentile(lines, [2.5, 97.5], axis=0)
    return grid, np.polyval(np.polyfit(x, y, 1), grid), low, high


def draw_points(ax, x, y, label: str):
    """A scatter for a few points (more transparent the more there are), a hexbin density past SCATTER_LIMIT."""
    if len(x) > SCATTER_LIMIT:
        art = ax.hexbin(x, y, gridsize=30, mincnt=1, cmap="Blues", bins="log", linewidths=0)
        ax.figure.colorbar(art, ax=ax, label="roles per hexagon")
        ax.plot([], [], "h", color="tab:blue", label=label + ", as a density")
        return
    alpha = min(1.0, max(0.25, 6 / math.sqrt(max(len(x), 1))))
    ax.scatter(x, y, s=40, alpha=alpha, color="tab:blue", edgecolors="none", label=label)


def draw_trend(ax, x, y) -> np.ndarray | None:
    """The trend and its band when there are enough points; returns each point's residual."""
    if len(x) < MIN_TREND_POINTS or np.ptp(np.asarray(x, float)) == 0:
        return None
    grid, fit, low, high = trend_band(x, y)
    ax.fill_between(grid, low, high, color="tab:red", alpha=0.2, label="95% band (bootstrap)")
    ax.plot(grid, fit, color="tab:red", lw=2, label="trend (least squares)")
    return np.asarray(y, float) - np.interp(np.asarray(x, float), grid, fit)


def spaced(boxes, limit: int) -> list[int]:
    """The first `limit` of `boxes` (x0, x1, y0, y1), in order, that overlap none kept before."""
    kept: list[int] = []
    for k, (x0, x1, y0, y1) in enumerate(boxes):
        if all(x1 < a0 or x0 > a1 or y1 < b0 or y0 > b1 for a0, a1, b0, b1 in (boxes[j] for j in kept)):
            kept.append(k)
        if len(kept) == limit:
            break
    return kept


def label_outliers(ax, frame, x: str, y: str, residual, limit: int = MAX_LABELS) -> None:
    """Name up to `limit` points, the farthest from the trend first, skipping any whose name would
    cover one already written (with no trend: all, when there are that few). Names of points
    right of the middle run leftwards, to stay inside the axes."""
    if residual is None:
        candidates = frame if len(frame) <= limit else frame.iloc[:0]
    else:
        candidates = frame.iloc[np.argsort(-np.abs(residual))[:50]]
    ax.get_xlim(), ax.get_ylim()  # settles the autoscaled limits, before measuring in pixels
    pixels = ax.transData.transform(candidates[[x, y]].to_numpy(float).reshape(-1, 2))
    right = pixels[:, 0] > ax.transData.transform((np.mean(ax.get_xlim()), 0))[0]
    widths = candidates["title"].str.len().to_numpy() * 6.0 + 8  # about 6 pixels a character at 8 points
    boxes = [(px - w if r else px, px if r else px + w, py, py + 16) for (px, py), w, r in zip(pixels, widths, right)]
    kept = spaced(boxes, limit)
    chosen = candidates.iloc[kept]
    ax.scatter(chosen[x], chosen[y], s=30, facecolors="none", edgecolors="black", linewidths=0.8)  # visible on a density too
    for (_, r), to_left in zip(chosen.iterrows(), right[kept]):
        ax.annotate(r["title"], (r[x], r[y]), textcoords="offset points", xytext=(-6 if to_left else 6, 4), ha="right" if to_left else "left", fontsize=8)


def salary_vs_proficiency(roles):
    """Base salary against mean required proficiency: complete pages as points or a density,
    with a trend; partial pages (few competencies shown) drawn hollow when there are few points."""
    x, y = "mean_required_level_normalized", "base_salary_k"
    roles = roles.dropna(subset=[x, "base_salary_p50"]).assign(base_salary_k=lambda d: d["base_salary_p50"] / 1000)
    complete, partial = roles[roles["completeness"] == "complete"], roles[roles["completeness"] == "partial"]
    fig, ax = plt.subplots(figsize=(9, 6))
    draw_points(ax, complete[x], complete[y], f"complete page ({plural(len(complete), 'role')})")
    if len(partial) and len(roles) <= SCATTER_LIMIT:
        ax.scatter(partial[x], partial[y], s=40, facecolors="none", edgecolors="tab:orange",
                   label=f"partial page ({plural(len(partial), 'role')}): few competencies shown")
    residual = draw_trend(ax, complete[x], complete[y])
    ax.set_xlim(-5, 105)
    label_outliers(ax, complete, x, y, residual)
    ax.set_xlabel(PROFICIENCY_AXIS)
    ax.set_ylabel(SALARY_AXIS)
    ax.set_title(f"Salary versus required proficiency ({plural(len(roles), 'Salary.com role')})")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8)  # below the axes: inside, it covered named points
    fig.tight_layout()
    return fig


def facets_by_job_level(roles, max_panels: int = 9):
    """Salary against proficiency of complete pages, one panel per job level (the most common
    `max_panels`, junior to senior), shared axes."""
    x, y = "mean_required_level_normalized", "base_salary_k"
    roles = roles[roles["completeness"] == "complete"].dropna(subset=[x, "base_salary_p50", "job_level"])
    roles = roles.assign(base_salary_k=roles["base_salary_p50"] / 1000)
    levels = job_level_order(roles["job_level"].value_counts().index[:max_panels])
    cols = min(3, max(1, len(levels)))
    rows = max(1, math.ceil(len(levels) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, level in zip(axes.flat, levels):
        sub = roles[roles["job_level"] == level]
        if len(sub) > SCATTER_LIMIT:
            ax.hexbin(sub[x], sub[y], gridsize=20, mincnt=1, cmap="Blues", bins="log", linewidths=0)
        else:
            ax.scatter(sub[x], sub[y], s=25, alpha=min(1.0, max(0.25, 6 / math.sqrt(len(sub)))), color="tab:blue", edgecolors="none")
        draw_trend(ax, sub[x], sub[y])
        ax.set_title(f"{level} ({plural(len(sub), 'role')})", fontsize=9)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(levels):]:
        ax.set_visible(False)
    fig.supxlabel(PROFICIENCY_AXIS, fontsize=9)
    fig.supylabel("Base salary, P50 (thousand USD)", fontsize=9)
    fig.suptitle("Within each job level: salary versus required proficiency, complete pages (trend and 95% band where 10+ roles)", fontsize=10)
    fig.tight_layout()
    return fig


def required_level_by_job_level(counts, scale_labels: dict[int, str]):
    """Share of required levels (1-5) among the competencies each job level's roles list.
    `counts`: job_level, required_level, competencies."""
    pivot = counts.pivot_table(index="job_level", columns="required_level", values="competencies", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(index=job_level_order(pivot.index), columns=sorted(set(scale_labels) | set(pivot.columns)), fill_value=0)
    totals = pivot.sum(axis=1)
    share = pivot.div(totals, axis=0) * 100
    fig, ax = plt.subplots(figsize=(9, 4.5))
    left = np.zeros(len(share))
    colours = plt.get_cmap("viridis")(np.linspace(0.1, 0.9, len(share.columns)))
    for colour, level in zip(colours, share.columns):
        ax.barh(range(len(share)), share[level], left=left, color=colour, label=f"{level} {scale_labels.get(level, '')}".strip())
        left += share[level].to_numpy()
    ax.set_yticks(range(len(share)), [f"{lv} ({int(t):,})" for lv, t in zip(share.index, totals)])
    ax.invert_yaxis()
    ax.set_xlabel("Share of listed competencies at each required level (%)")
    ax.set_ylabel("Job level (competencies with a level)")
    ax.set_title("Required proficiency by job level (Salary.com scale)")
    ax.set_xlim(0, 100)
    ax.legend(title="required level", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def salary_by_required_level(medians):
    """Median base salary by required level, one row per competency. `medians`: rows = competency,
    columns = level, values = median salary (NaN where too few roles)."""
    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.32 * max(1, len(medians))))
    im = ax.imshow(medians.to_numpy(float) / 1000, cmap="viridis", aspect="auto")
    ax.set_xticks(range(medians.shape[1]), [str(c) for c in medians.columns])
    ax.set_yticks(range(medians.shape[0]), medians.index, fontsize=8)
    ax.set_xlabel("Required level (Salary.com scale 1-5; blank: too few roles)")
    ax.set_title("Median base salary of the roles requiring each competency, by required level")
    fig.colorbar(im, ax=ax, label="median base salary (thousand USD)")
    fig.tight_layout()
    return fig


def pay_premiums(estimates):
    """A forest plot: each competency's pay difference against roles of the same job level, with its
    95% interval and the number of roles behind it. `estimates`: competency_name, roles, premium_pct, low_pct, high_pct."""
    est = estimates.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 2.2 + 0.3 * len(est)))
    colours = np.select([est["low_pct"] > 0, est["high_pct"] < 0], ["tab:green", "tab:red"], "grey")  # grey: the interval holds 0
    ax.errorbar(est["premium_pct"], range(len(est)), xerr=[est["premium_pct"] - est["low_pct"], est["high_pct"] - est["premium_pct"]],
                fmt="none", ecolor="grey", capsize=2)
    ax.scatter(est["premium_pct"], range(len(est)), c=colours, zorder=3)
    ax.set_yticks(range(len(est)), [f"{n} (n={r:,})" for n, r in zip(est["competency_name"], est["roles"])], fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("Base salary against roles of the same job level (%, 95% interval)")
    ax.set_title("Which competencies go with pay (green: higher, red: lower, grey: not distinguishable from 0)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def top_matches(links, max_rows: int = 15, max_cols: int = 15):
    """The part of a crosswalk worth drawing: the `max_rows` row competencies with the best
    matches, and the `max_cols` columns they match best. `links`: competency, matched, score, relation."""
    rows = links.groupby("competency")["score"].max().nlargest(max_rows).index
    kept = links[links["competency"].isin(rows)]
    cols = kept.groupby("matched")["score"].max().nlargest(max_cols).index
    return kept[kept["matched"].isin(cols)]


def crosswalk_heatmap(links, title: str):
    """Matches between two sets of competencies: each cell coloured by its relation (blank: no match).
    `links`: competency, matched, relation (call top_matches first: every row and column is drawn)."""
    rows, cols = sorted(links["competency"].unique()), sorted(links["matched"].unique())
    codes = {r: k for k, r in enumerate(RELATION_COLOURS)}
    grid = np.full((len(rows), len(cols)), np.nan)
    for r in links.itertuples():
        grid[rows.index(r.competency), cols.index(r.matched)] = codes[r.relation]
    fig, ax = plt.subplots(figsize=(min(14, 3.5 + 0.4 * len(cols)), min(10, 2.5 + 0.32 * len(rows))))
    ax.imshow(grid, cmap=plt.matplotlib.colors.ListedColormap(list(RELATION_COLOURS.values())), vmin=-0.5, vmax=len(codes) - 0.5, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(handles=[Patch(color=c, label=r) for r, c in RELATION_COLOURS.items()], title="relation", fontsize=8,
              loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def vendor_coverage_bars(coverage):
    """Share of each vendor's competencies matched in each other vendor."""
    fig, ax = plt.subplots(figsize=(9, 4))
    if coverage.empty:  # one vendor in the catalog
        ax.text(0.5, 0.5, "One vendor in the catalog: no other vendor to match its competencies in.", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    pivot = coverage.pivot(index="vendor", columns="other_vendor", values="share_matched").fillna(0) * 100
    pivot.plot.bar(ax=ax, rot=0)
    ax.set_xlabel("Vendor whose competencies are counted")
    ax.set_ylabel("Competencies with a match (%)")
    ax.set_title("Coverage of each vendor's competencies by the other vendors")
    ax.set_ylim(0, 100)
    ax.legend(title="matched in", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # outside: inside it covered a bar
    fig.tight_layout()
    return fig


def scale_alignment(scales):
    """Each vendor's level scale placed on the common 0-100 axis. `scales`: vendor, level, label, position."""
    vendors = sorted(scales["vendor"].unique())
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.8 * len(vendors)))
    for k, vendor in enumerate(vendors):
        sub = scales[scales["vendor"] == vendor]
        ax.plot(sub["position"], [k] * len(sub), "-o", color="tab:blue")
        for _, r in sub.iterrows():
            ax.annotate(f"{r['level']} {r['label']}", (r["position"], k), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize=7, rotation=15)
    ax.set_yticks(range(len(vendors)), vendors)
    ax.set_ylim(-0.5, len(vendors) - 0.3)
    ax.set_xlim(-8, 108)
    ax.set_xlabel("Position on the common 0-100 scale (100 x (level - lowest) / (highest - lowest))")
    ax.set_title("How the vendors' proficiency scales line up")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
