"""Copies TensorFlow's C library and the C headers tfjs-node's addon needs out of a tensorflow-cpu wheel.

Usage: python3 extract-wheel.py WHEEL LIB_DIR INCLUDE_DIR

Only the headers reachable from the addon's includes are copied (a few hundred KB), not the wheel's whole
268 MB include tree: the closure follows every quoted #include found in the wheel's tensorflow/include.
"""
import os
import re
import shutil
import sys
import zipfile

LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']
# What tfjs-node 4.22's binding/*.cc include from TensorFlow.
ROOT_HEADERS = [
    'tensorflow/c/c_api.h',
    'tensorflow/c/eager/c_api.h',
    'tensorflow/c/tf_datatype.h',
    'tensorflow/c/tf_status.h',
    'tensorflow/c/tf_tensor.h',
    'tensorflow/core/platform/ctstring_internal.h',
]
INCLUDE_PREFIX = 'tensorflow/include/'
INCLUDE_RE = re.compile(rb'^\s*#\s*include\s*"([^"]+)"', re.M)


def main(wheel, lib_dir, include_dir):
    os.makedirs(lib_dir, exist_ok=True)
    os.makedirs(include_dir, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for lib in LIBRARIES:
            member = 'tensorflow/' + lib
            if member not in names:
                sys.exit(f'{wheel} has no {member}')
            with z.open(member) as src, open(os.path.join(lib_dir, lib), 'wb') as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        todo = list(ROOT_HEADERS)
        seen = set()
        while todo:
            header = todo.pop()
            if header in seen:
                continue
            seen.add(header)
            member = INCLUDE_PREFIX + header
            if member not in names:
                if header in ROOT_HEADERS:
                    sys.exit(f'{wheel} has no {member}')
                continue  # a system or conditional include the wheel does not ship
            text = z.read(member)
            out = os.path.join(include_dir, header)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, 'wb') as f:
                f.write(text)
            todo.extend(m.decode() for m in INCLUDE_RE.findall(text))
    print(f'copied {len(LIBRARIES)} libraries and {len(seen)} headers')


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
