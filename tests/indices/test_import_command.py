"""`partrack import_criteria` checks a file cell by cell and saves it only when it is right."""

import pytest
from django.core.management import CommandError, call_command

from partrack.indices.models import CriteriaSet
from tests.indices.conftest import REFERENCE


def test_the_command_imports_a_grading_set_with_its_grades(world, capsys):
    call_command(
        "import_criteria",
        str(REFERENCE / "grading-cantho-2579-qd-ubnd-2025.criteria.csv"),
        "--owner",
        "SKHCN",
        "--name",
        "Cần Thơ",
        "--year",
        "2025",
        "--purpose",
        "grading",
        "--ratings",
        str(REFERENCE / "grading-cantho-2579-qd-ubnd-2025.ratings.csv"),
    )

    regime = CriteriaSet.objects.get(name="Cần Thơ")
    assert regime.criteria.count() == 4 and regime.grades.count() == 5
    assert "Đã nhập 4 tiêu chí" in capsys.readouterr().out


def test_the_command_prints_every_cell_and_saves_nothing_on_errors(world, tmp_path, capsys):
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "code,parent_code,level,title,max_points,evidence_required,scoring_rule\n"
        "I,,1,Chỉ đạo,10,,\nI.1,I,2,Kế hoạch,4,,\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="1 lỗi; chưa nhập gì"):
        call_command(
            "import_criteria", str(broken), "--owner", "SKHCN", "--name", "x", "--year", "2026"
        )

    assert "Ô E2: tiêu chí I có 10 điểm" in capsys.readouterr().err
    assert not CriteriaSet.objects.exists()
