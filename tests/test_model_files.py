"""modelfiles/: one owner of the model files for the chat model (agents/) and training; the packaged GGUF is converted
once, also when several processes (app workers, a trainer) start on a fresh data folder at the same time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import modelfiles
from config import Settings
from config.errors import UserError

ROOT = Path(__file__).resolve().parents[1]


def test_agents_and_training_use_the_same_module_and_directory(tmp_path):
    from agents import local_model
    from training import base_model, tokenizer

    assert local_model.local_model_path is modelfiles.ensure_model_dir
    assert local_model.convert_gguf is modelfiles.convert_gguf
    assert base_model.BaseModelError is modelfiles.ModelFilesError
    assert base_model.is_model_dir is modelfiles.is_model_dir
    settings = Settings(SIGHTLINE_DATA_DIR=str(tmp_path), SIGHTLINE_LOCAL_MODEL_DIR="")
    assert modelfiles.configured_model_dir(settings) == tmp_path / "models" / "smollm2-135m-instruct"
    assert tokenizer.model_dir() == modelfiles.configured_model_dir()
    assert modelfiles.packaged_gguf().suffix == ".gguf"


def test_a_junk_model_directory_is_a_user_error(tmp_path):
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("not a model")
    settings = Settings(SIGHTLINE_DATA_DIR=str(tmp_path), SIGHTLINE_LOCAL_MODEL_DIR=str(junk))
    with pytest.raises(UserError, match="is not a model directory"):
        modelfiles.ensure_model_dir(settings)
    assert not (tmp_path / "models").exists()


CONVERT = """
import sys
from pathlib import Path
import modelfiles
from config import Settings
real = modelfiles.convert_gguf
def counted(target, gguf=None):
    print("converting", flush=True)
    return real(target, gguf)
modelfiles.convert_gguf = counted
path = modelfiles.ensure_model_dir(Settings(SIGHTLINE_DATA_DIR=sys.argv[1], SIGHTLINE_LOCAL_MODEL_DIR=""))
print("path", path, flush=True)
"""


@pytest.mark.slow
def test_two_processes_on_a_fresh_data_folder_convert_once(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", CONVERT, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outs]
    stdout = "".join(out for out, _ in outs)
    assert stdout.count("converting") == 1, stdout
    target = tmp_path / "models" / "smollm2-135m-instruct"
    assert stdout.count(f"path {target}") == 2
    assert modelfiles.is_model_dir(target) and (target / "tokenizer.json").is_file()
    assert not list(target.parent.glob(".*tmp*"))  # no half-written conversion left behind
