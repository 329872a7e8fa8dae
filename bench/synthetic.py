"""A synthetic roster of any size, generated column-wise with numpy-free polars
expressions so that 20M rows take seconds. Values follow the contract's codes;
the distributions are rough but cover every branch of the bundled policies."""

from __future__ import annotations

import datetime as dt

import polars as pl

AREAS = ["urban", "town", "plain", "rural", "mountain"]
STAGES = ["primary", "junior", "senior", "nine_year", "complete"]
TITLES = ["none", "third", "second", "first", "senior", "full_senior"]
BACKBONE = ["none", "none", "none", "school", "county", "city", "province", "national"]
POSTS = ["teacher"] * 17 + ["principal", "vice_principal", "staff"]


def _pick(seed_col: pl.Expr, values: list, salt: int) -> pl.Expr:
    index = ((seed_col * 2654435761 + salt * 40503) % 1_000_003 % len(values)).cast(pl.UInt32)
    return pl.lit(pl.Series(values)).gather(index)


def _days(seed_col: pl.Expr, salt: int, lo: dt.date, hi: dt.date) -> pl.Expr:
    span = (hi - lo).days
    offset = (seed_col * 6364136223846793005 + salt * 1442695040888963407) % 2_147_483_647 % span
    return pl.lit(lo) + pl.duration(days=offset)


def _flag(seed_col: pl.Expr, salt: int, per_thousand: int) -> pl.Expr:
    return ((seed_col * 11400714819323198485 + salt * 97) % 1000) < per_thousand


def schools(n_schools: int) -> pl.DataFrame:
    i = pl.int_range(0, n_schools, dtype=pl.Int64).alias("i")
    return pl.select(i).select(
        pl.format("S{}", pl.col("i")).alias("school_id"),
        pl.format("学校{}", pl.col("i")).alias("name"),
        _pick(pl.col("i"), AREAS, 1).alias("area"),
        _pick(pl.col("i"), STAGES, 2).alias("stage"),
        _flag(pl.col("i"), 3, 200).alias("weak"),
        _flag(pl.col("i"), 4, 150).alias("quality"),
        _pick(pl.col("i"), ["over", "normal", "normal", "under"], 5).alias("staffing"),
        pl.format("C{}", pl.col("i") // 8).alias("cluster"),
        pl.format("T{}", pl.col("i") // 20).alias("township"),
        (pl.col("i") % 900 + 60).cast(pl.Float64).alias("students"),
        (pl.col("i") % 60 + 8).cast(pl.Float64).alias("establishment"),
        _flag(pl.col("i"), 6, 300).alias("pilot"),
    )


def teachers(n: int, n_schools: int, offset: int = 0) -> pl.DataFrame:
    """``n`` teachers with ids T<offset> … T<offset + n - 1> (chunks of a huge roster use offsets)."""
    s = pl.int_range(offset, offset + n, dtype=pl.Int64).alias("s")
    base = pl.select(s)
    c = pl.col("s")
    return base.select(
        pl.format("T{}", c).alias("id"),
        pl.lit("").alias("name"),
        _pick(c, ["M", "F", "F"], 1).alias("sex"),
        _days(c, 2, dt.date(1963, 1, 1), dt.date(2002, 12, 31)).alias("birth_date"),
        pl.format("S{}", (c * 7919) % n_schools).alias("school_id"),
        _days(c, 3, dt.date(2000, 9, 1), dt.date(2025, 8, 31)).alias("school_start"),
        _days(c, 4, dt.date(1985, 9, 1), dt.date(2024, 9, 1)).alias("work_start"),
        _pick(c, POSTS, 5).alias("post"),
        _days(c, 6, dt.date(2005, 9, 1), dt.date(2025, 8, 31)).alias("post_start"),
        ~_flag(c, 7, 30).alias("on_staff"),
        ~_flag(c, 8, 50).alias("teaching"),
        _pick(c, TITLES, 9).alias("title"),
        _days(c, 10, dt.date(2000, 1, 1), dt.date(2025, 8, 31)).alias("title_date"),
        _pick(c, BACKBONE, 11).alias("backbone"),
        pl.lit("语文").alias("subject"),
        _flag(c, 12, 80).alias("surplus_subject"),
        _flag(c, 13, 150).alias("starting_grade"),
        _flag(c, 14, 20).alias("pregnant"),
        _flag(c, 15, 10).alias("maternity_leave"),
        _flag(c, 16, 25).alias("nursing"),
        _flag(c, 17, 8).alias("serious_illness"),
        _flag(c, 18, 5).alias("under_investigation"),
        pl.when(_flag(c, 19, 15)).then(_days(c, 20, dt.date(2023, 1, 1), dt.date(2027, 1, 1))).alias("sanction_until"),
        pl.when(_flag(c, 21, 60)).then(_days(c, 22, dt.date(2018, 1, 1), dt.date(2025, 8, 1))).alias("support_end"),
        _flag(c, 23, 20).alias("support_selected"),
        ((c * 31) % 9).cast(pl.Float64).alias("rural_years"),
        ((c * 37) % 7).cast(pl.Float64).alias("rural_continuous_years"),
        ((c * 41) % 6).cast(pl.Float64).alias("weak_years"),
        ((c * 43) % 5).cast(pl.Float64).alias("mountain_years"),
        ((c * 47) % 4 + 1).cast(pl.Float64).alias("schools_served"),
        _pick(c, ["excellent", "qualified", "qualified", "basic", "unqualified"], 24).alias("last_rating"),
        ((c * 53) % 3).cast(pl.Float64).alias("unqualified_streak"),
        ((c * 59) % 4).cast(pl.Float64).alias("exchange_excellent_years"),
        pl.when(_flag(c, 25, 10)).then(_days(c, 26, dt.date(2019, 1, 1), dt.date(2025, 8, 1))).alias("refused_exchange"),
        pl.when(_flag(c, 27, 8)).then(_days(c, 28, dt.date(2019, 1, 1), dt.date(2025, 8, 1))).alias("left_exchange_early"),
        pl.when(_flag(c, 29, 6)).then(_days(c, 30, dt.date(2019, 1, 1), dt.date(2025, 8, 1))).alias("exchange_failed"),
        _pick(c, ["junior", "senior", "junior"], 31).alias("teaching_stage"),  # read at a 完中 only
    ).with_columns(_plausible())


def _plausible() -> list[pl.Expr]:
    """Nobody starts work before 18, nor at a school, a post or a title before starting work, and
    no man is pregnant, on maternity leave or nursing: the roster reader refuses such rows (R017)."""
    adult = pl.col("birth_date").dt.offset_by("18y")
    work = pl.max_horizontal("work_start", adult)
    woman = pl.col("sex") == "F"
    return [work.alias("work_start"), pl.max_horizontal("school_start", work).alias("school_start"),
            pl.max_horizontal("post_start", work).alias("post_start"),
            pl.max_horizontal("title_date", work).alias("title_date"),
            *((pl.col(name) & woman).alias(name) for name in ("pregnant", "maternity_leave", "nursing"))]


def joined(teacher_frame: pl.DataFrame | pl.LazyFrame, school_frame: pl.DataFrame) -> pl.LazyFrame:
    prefixed = school_frame.select([pl.col(c).alias(f"school.{c}") for c in school_frame.columns])
    return teacher_frame.lazy().join(prefixed.lazy(), left_on="school_id", right_on="school.school_id",
                                     how="left", maintain_order="left").with_columns(
        pl.col("school_id").alias("school.school_id"))
