"""CSV import: every validation error path, all-or-nothing atomicity, idempotent re-import, Safe Harbor storage."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from config import get_settings
from db import registry
from db.engine import admin_engine
from db.importer import ImportFailed, import_csv
from db.session import tenant_session

STORES = "store_code,name,city,state\nS1,Main Street,Portland,OR\nS2,Harbor,Seattle,WA\n"
PRODUCTS = ("sku,name,category,brand,unit_price\n"
            "F-1,Wayfarer,frames,Ray-Ban,150.00\nL-1,Varilux,lenses,Essilor,240\nC-1,Oasys,contact_lenses,Acuvue,65.5\n")
SALES_HEADER = "order_id,sold_at,store_code,sku,quantity,unit_price,discount\n"
SALES = SALES_HEADER + ("O1,2025-03-02,S1,F-1,1,150.00,0\nO1,2025-03-02,S1,L-1,2,240.00,20\n"
                        "O2,2025-04-05,S2,C-1,3,65.50,\n")
PATIENT_HEADER = ("patient_id,first_name,last_name,date_of_birth,email,phone,street,city,state,zip,last_exam_date,"
                  "sphere_od,sphere_os,cylinder_od,cylinder_os,lens_type\n")
PATIENTS = PATIENT_HEADER + (
    "MRN-0001,Zebulon,Quackenbush,1931-05-04,zeb.quack@mail.example,(503) 555-0199,742 Evergreen Terrace,"
    "Portland,OR,97201,2025-06-01,-2.25,-2.00,-0.50,-0.75,progressive\n"
    "MRN-0002,Philippa,Throckmorton,1990-12-24,pip.throck@mail.example,+1 206 555 0142,12 Cedar Lane,"
    "Seattle,WA,03601,2025-02-10,1.25,1.50,,,single_vision\n"
    "MRN-0003,Ignatius,Fairweather,1975-01-31,iggy@mail.example,555-867-5309,PO Box 4471,Boise,ID,83702,,"
    "0,0,0,0,contact_lenses\n"
)
RAW_IDENTIFIERS = ["Zebulon", "Quackenbush", "zeb.quack@mail.example", "555-0199", "Evergreen", "Philippa",
                   "Throckmorton", "pip.throck", "555 0142", "Cedar Lane", "Ignatius", "Fairweather", "867-5309",
                   "PO Box 4471", "MRN-0001", "MRN-0002", "MRN-0003", "1931-05-04", "1990-12-24", "97201", "83702"]


@pytest.fixture(scope="module")
def tenant(database: str) -> registry.Tenant:
    return registry.add_tenant("imp", "Import Test Optics")


@pytest.fixture(scope="module")
def loaded(tenant, tmp_path_factory) -> registry.Tenant:
    folder = tmp_path_factory.mktemp("csv")
    for table, content in (("stores", STORES), ("products", PRODUCTS), ("sales", SALES), ("patients", PATIENTS)):
        path = folder / f"{table}.csv"
        path.write_text(content)
        import_csv(table, path, tenant.id)
    return tenant


def rows(tenant, sql: str) -> list:
    with tenant_session(tenant.id) as conn:
        return conn.execute(sa.text(sql)).all()


def test_loaded_counts(loaded):
    assert rows(loaded, "SELECT count(*) FROM stores")[0][0] == 2
    assert rows(loaded, "SELECT count(*) FROM products")[0][0] == 3
    assert rows(loaded, "SELECT order_id, sku, quantity, discount FROM sales ORDER BY 1, 2") == [
        ("O1", "F-1", 1, 0), ("O1", "L-1", 2, 20), ("O2", "C-1", 3, 0)]


def problem(loaded, tmp_csv, table: str, content: str) -> str:
    path = tmp_csv(f"{table}.csv", content)
    with pytest.raises(ImportFailed) as err:
        import_csv(table, path, loaded.id)
    return str(err.value)


@pytest.mark.parametrize("content,expected", [
    (SALES_HEADER + "O9,2025-13-40,S1,F-1,1,150,0\n", "sales.csv, line 2, column 'sold_at': is not a date"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,-2,150,0\n", "line 2, column 'quantity': must be >= 1, got -2 (negative)"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,0,150,0\n", "column 'quantity': must be >= 1, got 0"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,two,150,0\n", "column 'quantity': is not a whole number: 'two'"),
    (SALES_HEADER + "O9,2025-03-01,S1,NOPE-9,1,150,0\n", "line 2, column 'sku': unknown sku 'NOPE-9'"),
    (SALES_HEADER + "O9,2025-03-01,S99,F-1,1,150,0\n", "line 2, column 'store_code': unknown store 'S99'"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,1,abc,0\n", "column 'unit_price': is not a number: 'abc'"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,1,-5,0\n", "column 'unit_price': must not be negative"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,1,100,500\n", "column 'discount': 500 exceeds the line total 100"),
    (SALES_HEADER + "O9,2025-03-01,S1,F-1,1,150,0\nO9,2025-03-01,S1,F-1,1,150,0\n",
     "line 3, column 'order_id, sku': duplicate key (same order_id, sku as line 2)"),
    (SALES_HEADER + "O9,2025-03-01,S1\n", "line 2: has 3 fields, the header has 7"),
    ("order_id,sold_at,store_code,sku,quantity,unit_price\nO9,2025-03-01,S1,F-1,1,150\n",
     "bad header row: missing column(s): discount"),
    ("O9,2025-03-01,S1,F-1,1,150,0\n", "bad header row: missing column(s): order_id"),
    (SALES_HEADER.strip() + ",colour\nO9,2025-03-01,S1,F-1,1,150,0,red\n", "unknown column(s): colour"),
    ("", "file is empty: a header row is required"),
    (SALES_HEADER, "no data rows after the header"),
])
def test_sales_errors_name_file_line_column(loaded, tmp_csv, content, expected):
    assert expected in problem(loaded, tmp_csv, "sales", content)


def test_other_table_errors(loaded, tmp_csv):
    assert "column 'category': 'hats' is not one of: frames, lenses" in problem(
        loaded, tmp_csv, "products", "sku,name,category,brand,unit_price\nH-1,Cap,hats,X,10\n")
    assert "column 'state': must be a 2-letter state code" in problem(
        loaded, tmp_csv, "stores", "store_code,name,city,state\nS9,X,Y,Oregon\n")
    assert "column 'on_hand': must be >= 0, got -1 (negative)" in problem(
        loaded, tmp_csv, "stock", "store_code,sku,on_hand,reorder_point,as_of\nS1,F-1,-1,2,2025-01-01\n")
    assert "column 'name': is empty" in problem(loaded, tmp_csv, "stores", "store_code,name,city,state\nS9,,Y,OR\n")


def test_not_utf8(loaded, tmp_path):
    path = tmp_path / "stores.csv"
    path.write_bytes(b"store_code,name,city,state\nS9,Caf\xe9,Y,OR\n")
    with pytest.raises(ImportFailed, match="stores.csv: is not UTF-8 text"):
        import_csv("stores", path, loaded.id)


def test_missing_file_and_unknown_table(loaded, tmp_path):
    with pytest.raises(ImportFailed, match="cannot read file"):
        import_csv("stores", tmp_path / "nope.csv", loaded.id)
    with pytest.raises(ImportFailed, match="unknown table"):
        import_csv("hats", tmp_path / "nope.csv", loaded.id)


def test_reports_every_bad_row_not_just_the_first(loaded, tmp_csv):
    content = SALES_HEADER + "".join(f"X{i},2025-03-01,S1,F-1,-1,150,0\n" for i in range(80))
    msg = problem(loaded, tmp_csv, "sales", content)
    assert "(80 problem(s))" in msg and "line 2," in msg and "line 51," in msg and "... and 30 more" in msg


def test_bad_row_imports_nothing_and_changes_nothing(loaded, tmp_csv):
    before = rows(loaded, "SELECT * FROM sales ORDER BY order_id, sku")
    content = SALES_HEADER + "O1,2025-03-02,S1,F-1,9,999.00,0\nO7,2025-05-01,S1,L-1,1,240,0\n" + \
        "O8,2025-05-01,S1,F-1,-4,150,0\n"
    problem(loaded, tmp_csv, "sales", content)
    assert rows(loaded, "SELECT * FROM sales ORDER BY order_id, sku") == before


def test_reimport_is_idempotent_and_upserts(loaded, tmp_csv):
    path = tmp_csv("sales.csv", SALES)
    first = rows(loaded, "SELECT * FROM sales ORDER BY order_id, sku")
    result = import_csv("sales", path, loaded.id)
    assert result.rows == 3 and result.table_rows_after == 3
    assert rows(loaded, "SELECT * FROM sales ORDER BY order_id, sku") == first
    changed = tmp_csv("sales2.csv", SALES_HEADER + "O2,2025-04-05,S2,C-1,5,65.50,0\n")
    import_csv("sales", changed, loaded.id)
    assert rows(loaded, "SELECT quantity FROM sales WHERE order_id = 'O2'") == [(5,)]
    assert rows(loaded, "SELECT count(*) FROM sales")[0][0] == 3


def test_import_is_scoped_to_the_tenant(loaded, tmp_csv):
    other = registry.add_tenant("imp-other", "Other Optics")
    # Other tenant has no stores/products: its sales referencing ours are rejected, ours untouched.
    msg = problem(other, tmp_csv, "sales", SALES)
    assert "unknown store 'S1'" in msg and "unknown sku 'F-1'" in msg
    import_csv("stores", tmp_csv("stores.csv", STORES), other.id)
    assert rows(other, "SELECT count(*) FROM stores")[0][0] == 2
    assert rows(loaded, "SELECT count(*) FROM stores")[0][0] == 2


def test_patients_are_stored_deidentified(loaded):
    got = rows(loaded, "SELECT patient_key, age_band, state, zip3, last_exam_year, sphere_od, lens_type "
                       "FROM patients ORDER BY lens_type")
    by_type = {r.lens_type: r for r in got}
    assert by_type["progressive"].age_band == "90+"  # born 1931, examined 2025: 94
    assert by_type["progressive"].zip3 == "972" and by_type["progressive"].last_exam_year == 2025
    assert by_type["single_vision"].zip3 == "000"  # 036 is a restricted ZIP3 area
    assert by_type["single_vision"].age_band == "30-39"
    assert by_type["contact_lenses"].last_exam_year is None
    assert all(len(r.patient_key) == 32 and "MRN" not in r.patient_key for r in got)


def test_no_raw_identifier_anywhere_in_the_database(loaded):
    """Grep every text-like column of every table, and the server log, for the raw identifiers."""
    with admin_engine().connect() as conn:
        cols = conn.execute(sa.text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json')")).all()
        assert len(cols) > 20
        for table, column in cols:
            for value in RAW_IDENTIFIERS:
                hit = conn.execute(sa.text(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE :v'),
                                   {"v": f"%{value}%"}).scalar_one()
                assert hit == 0, f"raw identifier {value!r} found in {table}.{column}"
    log = Path(get_settings().pgdata_dir) / "log"
    if log.exists():
        text = log.read_text(errors="replace")
        assert not [v for v in RAW_IDENTIFIERS if v in text]


def test_patient_errors_do_not_echo_identifiers(loaded, tmp_csv):
    bad = PATIENT_HEADER + ("MRN-0009,Bartholomew,Zzyzx,1980-02-30,b@z.example,1,1 Main St,Salem,OR,97301,"
                            "2025-01-01,0,0,0,0,progressive\n"
                            "MRN-0010,Cornelius,Zzyzx,1980-02-01,c@z.example,1,1 Main St,Salem,OR,9730,"
                            "2025-01-01,0,0,0,0,progressive\n")
    msg = problem(loaded, tmp_csv, "patients", bad)
    assert "line 2, column 'date_of_birth': is not a valid past date" in msg
    assert "line 3, column 'zip': must be a 5-digit ZIP code" in msg
    assert "1980-02-30" not in msg and "9730" not in msg and "Zzyzx" not in msg
    assert "column 'sphere_od': must be between -30" in problem(
        loaded, tmp_csv, "patients", PATIENT_HEADER + "P1,A,B,1980-01-01,,,,,OR,97301,,45,0,0,0,progressive\n")
    assert "duplicate key (same patient_id as line 2)" in problem(
        loaded, tmp_csv, "patients", PATIENT_HEADER + "P1,A,B,1980-01-01,,,,,OR,97301,,0,0,0,0,progressive\n" * 2)
