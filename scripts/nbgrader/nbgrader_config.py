# nbgrader's configuration for dlnb's Go notebooks (issue 34). scripts/nbgrader/nbgrader.sh puts this
# folder on JUPYTER_CONFIG_PATH, so nbgrader reads this file first; a course folder's own
# nbgrader_config.py (course_id, students, …) is read after it and may override any of it.
c = get_config()  # noqa: F821 (nbgrader's config loader defines it)

# The student's copy: nbgrader replaces every region between a line holding BEGIN SOLUTION and one
# holding END SOLUTION by this stub, at the indentation of the BEGIN line. The notebooks' language is
# "go" (kernelspec.language of GoNB), which nbgrader has no stub for. dlnb exercises writes the same
# stub (internal/nbrun.Stub); the round-trip test compares the two copies.
c.ClearSolutions.code_stub = {"go": "// ここにコードを書く"}
c.ClearSolutions.text_stub = "ここに答えを書く"
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"  # sic: nbgrader's spelling
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"

# Autograding executes every cell through the GoNB kernel (found in .venv/share/jupyter). Each cell
# is compiled as a Go program before it runs, and a notebook's training cells take minutes even in
# quick mode (DLNB_QUICK=1, which nbgrader.sh sets unless told otherwise), so nbgrader's 30 s per cell
# is too short. A check cell itself stops the student's code after 1 s.
c.Execute.timeout = 1800
c.Execute.startup_timeout = 180
